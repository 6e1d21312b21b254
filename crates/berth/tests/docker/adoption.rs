//! A container instance registered by an IAM user, then adopted by `berth agent
//! --container-instance-arn`, runs a real container.

use aws_sdk_ecs::types::{ContainerDefinition, Resource};

use crate::common::{Server, ecs_client_as, eventually};
use crate::support::{AgentProcess, IMAGE, TestCluster, containers_of_task, inspect};

/// The administrator and a user allowed only to register container instances.
fn auth_file() -> String {
    crate::common::auth_file_with(&[crate::common::TestUser {
        name: "registrar",
        policy: &crate::common::allow(r#""ecs:RegisterContainerInstance""#),
        key: "AKIDREGISTRAR",
        secret: "registrar-secret",
    }])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_adopts_an_instance_a_user_registered_and_runs_its_task() {
    let dir = tempfile::tempdir().unwrap();
    let auth = dir.path().join("auth.toml");
    std::fs::write(&auth, auth_file()).unwrap();
    let server = Server::start_with_args(&["--auth-config", auth.to_str().unwrap()]);
    let cluster = TestCluster::new("adopt");
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name(&cluster.name).send().await.unwrap();
    ecs.register_task_definition()
        .family("adopted")
        .container_definitions(
            ContainerDefinition::builder()
                .name("app")
                .image(IMAGE)
                .memory(32)
                .command("sh")
                .command("-c")
                .command("mkdir -p /tmp && echo running > /tmp/state && exec sleep 600")
                .build(),
        )
        .send()
        .await
        .unwrap();

    // The user registers the host from its identity document; no agent runs it yet.
    let registrar = ecs_client_as(&server.endpoint, "AKIDREGISTRAR", "registrar-secret");
    let document = r#"{"instanceId": "i-0d0c0b0a090807060", "availabilityZone": "us-east-1a",
        "instanceType": "t3.small", "region": "us-east-1"}"#;
    let integer = |name: &str, value: i32| {
        Resource::builder().name(name).r#type("INTEGER").integer_value(value).build()
    };
    let registered = registrar
        .register_container_instance()
        .cluster(&cluster.name)
        .instance_identity_document(document)
        .total_resources(integer("CPU", 1024))
        .total_resources(integer("MEMORY", 512))
        .send()
        .await
        .unwrap();
    let instance = registered.container_instance().unwrap();
    let arn = instance.container_instance_arn().unwrap().to_owned();
    assert!(!instance.agent_connected());
    let out =
        ecs.run_task().cluster(&cluster.name).task_definition("adopted").send().await.unwrap();
    assert_eq!(out.failures()[0].reason(), Some("AGENT"), "{:?}", out.failures());

    // `berth agent` adopts it.
    let _agent = AgentProcess::start_with(
        &server,
        &cluster.name,
        "zone-a",
        &["--container-instance-arn", &arn],
    );
    let adopted = eventually(30, "the agent to adopt the instance", || async {
        let out = ecs
            .describe_container_instances()
            .cluster(&cluster.name)
            .container_instances(&arn)
            .send()
            .await
            .unwrap();
        out.container_instances().first().filter(|i| i.agent_connected()).cloned()
    })
    .await;
    assert_eq!(adopted.ec2_instance_id(), Some("i-0d0c0b0a090807060"));
    let zone = adopted.attributes().iter().find(|a| a.name() == "ecs.availability-zone");
    assert_eq!(zone.and_then(|a| a.value()), Some("us-east-1a"));
    let listed = ecs.list_container_instances().cluster(&cluster.name).send().await.unwrap();
    assert_eq!(listed.container_instance_arns(), std::slice::from_ref(&arn));

    // A task placed there really runs, in a container labelled with the adopted instance.
    let out =
        ecs.run_task().cluster(&cluster.name).task_definition("adopted").send().await.unwrap();
    assert!(out.failures().is_empty(), "{:?}", out.failures());
    let task = out.tasks()[0].task_arn().unwrap().to_owned();
    assert_eq!(out.tasks()[0].container_instance_arn(), Some(arn.as_str()));
    eventually(60, "the task RUNNING", || async {
        let out = ecs.describe_tasks().cluster(&cluster.name).tasks(&task).send().await.unwrap();
        (out.tasks()[0].last_status() == Some("RUNNING")).then_some(())
    })
    .await;
    let containers = containers_of_task(&task);
    assert_eq!(containers.len(), 1);
    let container = inspect(&containers[0]);
    assert_eq!(container["State"]["Running"], true, "{}", container["State"]);
    assert_eq!(container["Config"]["Labels"]["berth.container-instance"], arn.as_str());
    let state = crate::support::docker(&["exec", &containers[0], "cat", "/tmp/state"]);
    assert_eq!(String::from_utf8_lossy(&state.stdout).trim(), "running");
}
