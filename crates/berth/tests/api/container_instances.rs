//! Container instances through aws-sdk-ecs, registered by node agents running in the test
//! process on the SIMULATED runtime (or by IAM users, then adopted by such agents):
//! registration, description, the query-language filter, draining, custom attributes,
//! deregistration, liveness and agent authentication.

use std::time::Duration;

use aws_sdk_ecs::types::{
    Attribute, ContainerDefinition, ContainerInstance, ContainerInstanceField,
    ContainerInstanceStatus, PlacementConstraint, Resource, Tag, TargetType,
};
use serde_json::json;

use crate::common::{Server, SimAgent, code, ecs_client_as, eventually, message};

async fn instances(ecs: &aws_sdk_ecs::Client, cluster: &str, n: usize) -> Vec<String> {
    eventually(10, &format!("{n} registered instances"), || async {
        let out = ecs.list_container_instances().cluster(cluster).send().await.unwrap();
        (out.container_instance_arns().len() == n).then(|| out.container_instance_arns().to_vec())
    })
    .await
}

/// Cluster `c` with the `web` definition and one instance registered by hand (no agent runs):
/// the instance's ARN and token.
async fn cluster_with_one_instance(server: &Server, ecs: &aws_sdk_ecs::Client) -> (String, String) {
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    register_web(ecs).await;
    let registered = server
        .raw()
        .op_with_token(
            "RegisterContainerInstance",
            json!({"cluster": "c", "totalResources": [
                {"name": "CPU", "type": "INTEGER", "integerValue": 4096},
                {"name": "MEMORY", "type": "INTEGER", "integerValue": 4096}]}),
            &server.agent_token("c"),
        )
        .await;
    assert_eq!(registered.status, 200, "{:?}", registered.body);
    let arn =
        registered.body["containerInstance"]["containerInstanceArn"].as_str().unwrap().to_owned();
    (arn, registered.instance_token.expect("the instance's token"))
}

async fn register_web(ecs: &aws_sdk_ecs::Client) {
    ecs.register_task_definition()
        .family("web")
        .container_definitions(
            ContainerDefinition::builder()
                .name("web")
                .image("busybox")
                .memory(64)
                .command("httpd")
                .build(),
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_describes_the_host() {
    let server = Server::start();
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    let _agent = SimAgent::start(&server, "c", "zone-a");
    let arns = instances(&ecs, "c", 1).await;
    assert!(arns[0].starts_with("arn:aws:ecs:us-east-1:000000000000:container-instance/c/"));
    let out = ecs
        .describe_container_instances()
        .cluster("c")
        .container_instances(&arns[0])
        .send()
        .await
        .unwrap();
    let ci = &out.container_instances()[0];
    assert_eq!(ci.status(), Some("ACTIVE"));
    assert!(ci.agent_connected());
    assert!(ci.ec2_instance_id().unwrap().starts_with("i-"));
    assert!(ci.registered_at().is_some());
    let resource = |name: &str| {
        ci.registered_resources().iter().find(|r| r.name() == Some(name)).cloned().unwrap()
    };
    assert_eq!(resource("CPU").integer_value(), 4 * 1024);
    assert_eq!(resource("MEMORY").integer_value(), 8 * 1024);
    assert!(resource("PORTS").string_set_value().contains(&"22".to_owned()));
    let attribute = |name: &str| {
        ci.attributes().iter().find(|a| a.name() == name).and_then(|a| a.value().map(str::to_owned))
    };
    assert_eq!(attribute("ecs.availability-zone").as_deref(), Some("zone-a"));
    assert_eq!(attribute("ecs.os-type").as_deref(), Some("linux"));
    assert!(ci.attributes().iter().any(|a| a.name() == "ecs.capability.container-health-check"));
    assert_eq!(ci.version_info().unwrap().agent_version(), Some("0.1.0"));
    let missing = ecs
        .describe_container_instances()
        .cluster("c")
        .container_instances("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.failures()[0].reason(), Some("MISSING"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_draining_and_attributes_steer_placement() {
    let server = Server::start();
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    let _a = SimAgent::start(&server, "c", "zone-a");
    let _b = SimAgent::start(&server, "c", "zone-b");
    let arns = instances(&ecs, "c", 2).await;
    register_web(&ecs).await;

    let in_b = ecs
        .list_container_instances()
        .cluster("c")
        .filter("attribute:ecs.availability-zone == zone-b")
        .send()
        .await
        .unwrap();
    assert_eq!(in_b.container_instance_arns().len(), 1);
    let zone_of = |arn: &str| {
        let ecs = ecs.clone();
        let arn = arn.to_owned();
        async move {
            let out = ecs
                .describe_container_instances()
                .cluster("c")
                .container_instances(arn)
                .send()
                .await
                .unwrap();
            out.container_instances()[0]
                .attributes()
                .iter()
                .find(|a| a.name() == "ecs.availability-zone")
                .and_then(|a| a.value().map(str::to_owned))
                .unwrap()
        }
    };
    assert_eq!(zone_of(&in_b.container_instance_arns()[0]).await, "zone-b");
    let err = ecs
        .list_container_instances()
        .cluster("c")
        .filter("attribute:ecs.availability-zone ==")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");

    // Drain zone-b's instance: new tasks go to the other one.
    let b = in_b.container_instance_arns()[0].clone();
    let a = arns.iter().find(|x| **x != b).unwrap().clone();
    let drained = ecs
        .update_container_instances_state()
        .cluster("c")
        .container_instances(&b)
        .status(ContainerInstanceStatus::Draining)
        .send()
        .await
        .unwrap();
    assert_eq!(drained.container_instances()[0].status(), Some("DRAINING"));
    let draining = ecs
        .list_container_instances()
        .cluster("c")
        .status(ContainerInstanceStatus::Draining)
        .send()
        .await
        .unwrap();
    assert_eq!(draining.container_instance_arns(), std::slice::from_ref(&b));
    let out = ecs.run_task().cluster("c").task_definition("web").count(4).send().await.unwrap();
    assert_eq!(out.tasks().len(), 4);
    assert!(out.tasks().iter().all(|t| t.container_instance_arn() == Some(a.as_str())));
    let err = ecs
        .update_container_instances_state()
        .cluster("c")
        .container_instances(&b)
        .status(ContainerInstanceStatus::Deregistering)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    ecs.update_container_instances_state()
        .cluster("c")
        .container_instances(&b)
        .status(ContainerInstanceStatus::Active)
        .send()
        .await
        .unwrap();

    // A custom attribute and a memberOf constraint pick the instance.
    let gpu = |value: &str| {
        Attribute::builder()
            .name("gpu")
            .value(value)
            .target_type(TargetType::ContainerInstance)
            .target_id(&b)
            .build()
            .unwrap()
    };
    ecs.put_attributes().cluster("c").attributes(gpu("yes")).send().await.unwrap();
    let listed = ecs
        .list_attributes()
        .cluster("c")
        .target_type(TargetType::ContainerInstance)
        .attribute_name("gpu")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.attributes().len(), 1);
    assert_eq!(listed.attributes()[0].target_id(), Some(b.as_str()));
    let out = ecs
        .run_task()
        .cluster("c")
        .task_definition("web")
        .count(3)
        .placement_constraints(
            PlacementConstraint::builder()
                .r#type("memberOf".into())
                .expression("attribute:gpu == yes")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.tasks().len(), 3);
    assert!(out.tasks().iter().all(|t| t.container_instance_arn() == Some(b.as_str())));
    let filtered = ecs
        .list_container_instances()
        .cluster("c")
        .filter("attribute:gpu exists")
        .send()
        .await
        .unwrap();
    assert_eq!(filtered.container_instance_arns(), std::slice::from_ref(&b));

    let mut many = ecs.put_attributes().cluster("c");
    for i in 0..10 {
        many = many.attributes(
            Attribute::builder()
                .name(format!("custom-{i}"))
                .value("x")
                .target_type(TargetType::ContainerInstance)
                .target_id(&b)
                .build()
                .unwrap(),
        );
    }
    let err = many.send().await.unwrap_err();
    assert_eq!(code(&err), "AttributeLimitExceededException");
    let reserved = Attribute::builder()
        .name("ecs.availability-zone")
        .value("x")
        .target_id(&b)
        .build()
        .unwrap();
    let err = ecs.put_attributes().cluster("c").attributes(reserved).send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    ecs.delete_attributes().cluster("c").attributes(gpu("yes")).send().await.unwrap();
    let listed = ecs
        .list_attributes()
        .cluster("c")
        .target_type(TargetType::ContainerInstance)
        .attribute_name("gpu")
        .send()
        .await
        .unwrap();
    assert!(listed.attributes().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deregistration_and_cluster_deletion() {
    let server = Server::start();
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    let agent = SimAgent::start(&server, "c", "zone-a");
    let arns = instances(&ecs, "c", 1).await;
    register_web(&ecs).await;
    let err = ecs.delete_cluster().cluster("c").send().await.unwrap_err();
    assert_eq!(code(&err), "ClusterContainsContainerInstancesException");
    ecs.run_task().cluster("c").task_definition("web").send().await.unwrap();
    let err = ecs
        .deregister_container_instance()
        .cluster("c")
        .container_instance(&arns[0])
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    assert!(message(&err).contains("running tasks"));
    let _ = agent.stop().await;
    let out = ecs
        .deregister_container_instance()
        .cluster("c")
        .container_instance(&arns[0])
        .force(true)
        .send()
        .await
        .unwrap();
    assert_eq!(out.container_instance().unwrap().status(), Some("INACTIVE"));
    assert!(!out.container_instance().unwrap().agent_connected());
    assert!(
        ecs.list_container_instances()
            .cluster("c")
            .send()
            .await
            .unwrap()
            .container_instance_arns()
            .is_empty()
    );
    let err = ecs.delete_cluster().cluster("c").send().await.unwrap_err();
    assert_eq!(code(&err), "ClusterContainsTasksException", "the orphaned task still counts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_agent_is_disconnected_within_the_timeout() {
    let server = Server::start_with_args(&["--agent-timeout", "2"]);
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    let agent = SimAgent::start(&server, "c", "zone-a");
    let arn = instances(&ecs, "c", 1).await.remove(0);
    let connected = |ecs: aws_sdk_ecs::Client, arn: String| async move {
        let out = ecs
            .describe_container_instances()
            .cluster("c")
            .container_instances(arn)
            .send()
            .await
            .unwrap();
        out.container_instances()[0].agent_connected()
    };
    // A connected agent stays connected across several timeouts (its polls count).
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(connected(ecs.clone(), arn.clone()).await);
    // Placement keeps its view of the cluster between requests: it must learn of the silence
    // and of the return without any stored change.
    register_web(&ecs).await;
    let out = ecs.run_task().cluster("c").task_definition("web").send().await.unwrap();
    assert_eq!(out.tasks().len(), 1, "{:?}", out.failures());
    let (runtime, state_dir) = agent.stop().await;
    let lost = tokio::time::Instant::now();
    eventually(10, "agentConnected false", || {
        let f = connected(ecs.clone(), arn.clone());
        async move { (!f.await).then_some(()) }
    })
    .await;
    assert!(lost.elapsed() < Duration::from_secs(4), "took {:?}", lost.elapsed());
    let out = ecs.run_task().cluster("c").task_definition("web").send().await.unwrap();
    assert_eq!(out.failures()[0].reason(), Some("AGENT"));
    let _agent = SimAgent::start_on(&server, "c", "zone-a", runtime, state_dir);
    eventually(10, "agentConnected true", || {
        let f = connected(ecs.clone(), arn.clone());
        async move { f.await.then_some(()) }
    })
    .await;
    let out = ecs.run_task().cluster("c").task_definition("web").send().await.unwrap();
    assert_eq!(out.tasks().len(), 1, "{:?}", out.failures());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_operations_need_the_cluster_or_instance_token() {
    let server = Server::start();
    let ecs = server.ecs();
    for name in ["c", "other"] {
        ecs.create_cluster().cluster_name(name).send().await.unwrap();
    }
    let raw = server.raw();
    let body = json!({"cluster": "c", "totalResources": [
        {"name": "CPU", "type": "INTEGER", "integerValue": 1024},
        {"name": "MEMORY", "type": "INTEGER", "integerValue": 1024}]});
    // A user's signature (the administrator's) registers an instance, but makes no agent: the
    // instance awaits one, and no token comes back.
    let response = raw.op("RegisterContainerInstance", body.clone()).await;
    assert_eq!(response.status, 200, "{:?}", response.body);
    assert_eq!(response.instance_token, None);
    assert_eq!(response.body["containerInstance"]["agentConnected"], json!(false));
    let response = raw
        .op_with_token("RegisterContainerInstance", body.clone(), &server.agent_token("other"))
        .await;
    assert_eq!(response.error_type.as_deref(), Some("AccessDeniedException"));
    // A forged token is no token: without a signature the request is not authenticated.
    let response = raw.op_with_token("RegisterContainerInstance", body.clone(), "c.0000").await;
    assert_eq!(response.error_type.as_deref(), Some("MissingAuthenticationTokenException"));
    assert_eq!(
        ecs.list_container_instances()
            .cluster("c")
            .send()
            .await
            .unwrap()
            .container_instance_arns()
            .len(),
        1
    );
    let response = raw
        .op_with_token("RegisterContainerInstance", body.clone(), &server.agent_token("c"))
        .await;
    assert_eq!(response.status, 200, "{:?}", response.body);
    let arn =
        response.body["containerInstance"]["containerInstanceArn"].as_str().unwrap().to_owned();
    let token = response.instance_token.expect("the registration returns the instance's token");
    let second = raw
        .op_with_token("RegisterContainerInstance", body.clone(), &server.agent_token("c"))
        .await;
    let second_arn =
        second.body["containerInstance"]["containerInstanceArn"].as_str().unwrap().to_owned();
    let second_token = second.instance_token.unwrap();

    // The channel takes the instance's own token, and no other: not the cluster's, not another
    // cluster's, not another instance's.
    let poll = |arn: String, token: String| {
        let raw = &raw;
        async move {
            raw.post_with_token(
                "/agent/v1/poll",
                json!({"cluster": "c", "containerInstanceArn": arn, "generation": -1}),
                &token,
            )
            .await
        }
    };
    for wrong in [server.agent_token("other"), server.agent_token("c"), second_token.clone()] {
        let refused = poll(arn.clone(), wrong).await;
        assert_eq!(
            refused.error_type.as_deref(),
            Some("AccessDeniedException"),
            "{:?}",
            refused.body
        );
    }
    let polled = poll(arn.clone(), token.clone()).await;
    assert_eq!(polled.status, 200);
    assert_eq!(polled.body["tasks"], json!([]));
    assert_eq!(poll(second_arn.clone(), second_token.clone()).await.status, 200);

    // Re-registering an instance takes its own token: the cluster's token cannot take over an
    // existing instance (and with it, that instance's token).
    let mut again = body.clone();
    again["containerInstanceArn"] = arn.clone().into();
    for wrong in [server.agent_token("c"), second_token] {
        let refused = raw.op_with_token("RegisterContainerInstance", again.clone(), &wrong).await;
        assert_eq!(
            refused.error_type.as_deref(),
            Some("AccessDeniedException"),
            "{:?}",
            refused.body
        );
        assert_eq!(refused.instance_token, None);
    }
    let renewed = raw.op_with_token("RegisterContainerInstance", again, &token).await;
    assert_eq!(renewed.status, 200, "{:?}", renewed.body);
    assert_eq!(renewed.body["containerInstance"]["containerInstanceArn"], json!(arn));

    // Task state comes from the agent of the task's instance: a cluster token is not one.
    let change = json!({"cluster": "c", "task": "0123456789abcdef", "status": "RUNNING"});
    let refused =
        raw.op_with_token("SubmitTaskStateChange", change.clone(), &server.agent_token("c")).await;
    assert_eq!(refused.error_type.as_deref(), Some("AccessDeniedException"), "{:?}", refused.body);
    let unknown = raw.op_with_token("SubmitTaskStateChange", change, &token).await;
    assert_eq!(
        unknown.error_type.as_deref(),
        Some("InvalidParameterException"),
        "{:?}",
        unknown.body
    );

    // An instance token does not register new instances, and opens no user operation.
    let refused = raw.op_with_token("RegisterContainerInstance", body, &token).await;
    assert_eq!(refused.error_type.as_deref(), Some("AccessDeniedException"));
    for agent_token in [token.as_str(), &server.agent_token("c")] {
        let refused = raw.op_with_token("ListClusters", json!({}), agent_token).await;
        assert_eq!(refused.error_type.as_deref(), Some("MissingAuthenticationTokenException"));
        let refused = raw
            .op_with_token("RunTask", json!({"cluster": "c", "taskDefinition": "x"}), agent_token)
            .await;
        assert_eq!(refused.error_type.as_deref(), Some("MissingAuthenticationTokenException"));
    }
    let listed = ecs.list_container_instances().cluster("c").send().await.unwrap();
    assert_eq!(listed.container_instance_arns().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_send_in_full_only_what_changed_since_the_agents_generation() {
    let server = Server::start();
    let ecs = server.ecs();
    let raw = server.raw();
    let (arn, token) = cluster_with_one_instance(&server, &ecs).await;
    let poll = |generation: i64, known: Vec<&'static str>| {
        let (raw, arn, token) = (&raw, arn.clone(), token.clone());
        async move {
            let body = json!({"cluster": "c", "containerInstanceArn": arn, "generation": generation,
                "waitSeconds": 1, "knownDefinitions": known});
            let polled = raw.post_with_token("/agent/v1/poll", body, &token).await;
            assert_eq!(polled.status, 200, "{:?}", polled.body);
            polled.body
        }
    };
    let ids = |list: &serde_json::Value| -> Vec<String> {
        let mut ids: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let t = t.as_str().or(t["taskArn"].as_str()).unwrap();
                t.rsplit('/').next().unwrap().to_owned()
            })
            .collect();
        ids.sort();
        ids
    };
    let started = ecs.run_task().cluster("c").task_definition("web").count(2).send().await.unwrap();
    let mut both: Vec<String> = started
        .tasks()
        .iter()
        .map(|t| t.task_arn().unwrap().rsplit('/').next().unwrap().to_owned())
        .collect();
    both.sort();
    assert_eq!(both.len(), 2, "{:?}", started.failures());

    // A new agent (generation -1) gets the whole set in full, with its definition.
    let first = poll(-1, vec![]).await;
    assert_eq!(ids(&first["tasks"]), both);
    assert_eq!(first["unchanged"], json!([]));
    assert_eq!(first["tasks"][0]["desiredStatus"], "RUNNING");
    assert_eq!(first["tasks"][0]["definition"], "web:1");
    assert!(first["definitions"]["web:1"]["containerDefinitions"].is_array(), "{first}");
    let applied = first["generation"].as_i64().unwrap();

    // Nothing changed: the tasks go by id, and the definition the agent holds is left out.
    let same = poll(applied, vec!["web:1"]).await;
    assert_eq!(same["generation"].as_i64(), Some(applied));
    assert_eq!(same["tasks"], json!([]));
    assert_eq!(ids(&same["unchanged"]), both);
    assert_eq!(same["definitions"], json!({}));

    // One task is asked to stop and one more starts: those two in full, the other by id.
    ecs.stop_task().cluster("c").task(&both[0]).send().await.unwrap();
    let third = ecs.run_task().cluster("c").task_definition("web").send().await.unwrap();
    let third = third.tasks()[0].task_arn().unwrap().rsplit('/').next().unwrap().to_owned();
    let next = poll(applied, vec!["web:1"]).await;
    assert!(next["generation"].as_i64().unwrap() > applied);
    let mut changed = vec![both[0].clone(), third.clone()];
    changed.sort();
    assert_eq!(ids(&next["tasks"]), changed);
    assert_eq!(ids(&next["unchanged"]), vec![both[1].clone()]);
    let stopping = next["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["taskArn"].as_str().unwrap().ends_with(&both[0]))
        .unwrap();
    assert_eq!(stopping["desiredStatus"], "STOPPED");
    assert_eq!(next["definitions"], json!({}));
    // An agent that lost track asks again from -1 and gets everything in full.
    let again = poll(-1, vec![]).await;
    assert_eq!(ids(&again["tasks"]).len(), 3);
    assert_eq!(again["unchanged"], json!([]));
}

/// Deregistering an instance revokes its token: every operation the token opened (the agent
/// operations of the ECS API and the agent channel) refuses it, and nothing it asks for
/// happens. The agent's way back is its cluster's token, which registers a new instance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deregistered_instances_token_is_refused_everywhere() {
    let server = Server::start();
    let ecs = server.ecs();
    let raw = server.raw();
    let (arn, token) = cluster_with_one_instance(&server, &ecs).await;
    let started = ecs.run_task().cluster("c").task_definition("web").send().await.unwrap();
    let task_arn = started.tasks()[0].task_arn().unwrap().to_owned();
    let status_of_task = || async {
        let described = ecs.describe_tasks().cluster("c").tasks(&task_arn).send().await.unwrap();
        described.tasks()[0].last_status().unwrap().to_owned()
    };
    let before = status_of_task().await;
    assert_ne!(before, "RUNNING");

    let ecs_calls = [
        (
            "SubmitTaskStateChange",
            json!({"cluster": "c", "task": task_arn, "status": "RUNNING",
                "containers": [{"containerName": "web", "status": "RUNNING", "runtimeId": "r1"}]}),
        ),
        (
            "SubmitContainerStateChange",
            json!({"cluster": "c", "task": task_arn, "containerName": "web",
                "status": "RUNNING", "runtimeId": "r1"}),
        ),
        (
            "SubmitAttachmentStateChanges",
            json!({"cluster": "c", "attachments": [{"attachmentArn": "a", "status": "ATTACHED"}]}),
        ),
        ("DiscoverPollEndpoint", json!({"cluster": "c", "containerInstance": arn})),
        (
            "RegisterContainerInstance",
            json!({"cluster": "c", "containerInstanceArn": arn, "totalResources": [
                {"name": "CPU", "type": "INTEGER", "integerValue": 4096},
                {"name": "MEMORY", "type": "INTEGER", "integerValue": 4096}]}),
        ),
    ];
    let channel_calls = [
        ("/agent/v1/poll", json!({"cluster": "c", "containerInstanceArn": arn, "generation": -1})),
        (
            "/agent/v1/report",
            json!({"cluster": "c", "containerInstanceArn": arn, "tasks": [{"taskArn": task_arn,
                "status": "RUNNING", "containers": [{"name": "web", "status": "RUNNING"}]}]}),
        ),
        (
            "/agent/v1/logs",
            json!({"cluster": "c", "containerInstanceArn": arn, "batches": [{"taskArn": task_arn,
                "containerName": "web", "events": [{"timestamp": 1_700_000_000_000_i64,
                "stream": "stdout", "message": "after deregistration"}]}]}),
        ),
    ];
    // While the instance is registered, the token opens these.
    let found = raw.op_with_token("DiscoverPollEndpoint", ecs_calls[3].1.clone(), &token).await;
    assert_eq!(found.status, 200, "{:?}", found.body);
    let polled = raw.post_with_token(channel_calls[0].0, channel_calls[0].1.clone(), &token).await;
    assert_eq!(polled.status, 200, "{:?}", polled.body);

    ecs.deregister_container_instance()
        .cluster("c")
        .container_instance(&arn)
        .force(true)
        .send()
        .await
        .unwrap();

    let expected = format!("Container instance {arn} is not registered in cluster c.");
    for (op, body) in ecs_calls {
        let refused = raw.op_with_token(op, body, &token).await;
        assert_eq!(refused.status, 400, "{op}: {:?}", refused.body);
        assert_eq!(refused.error_type.as_deref(), Some("ClientException"), "{op}");
        assert_eq!(refused.body["message"], json!(expected), "{op}");
        assert_eq!(refused.instance_token, None, "{op}");
    }
    for (path, body) in channel_calls {
        let refused = raw.post_with_token(path, body, &token).await;
        assert_eq!(refused.error_type.as_deref(), Some("ClientException"), "{path}");
        assert_eq!(refused.body["message"], json!(expected), "{path}");
    }

    // Nothing moved: the task did not start, no lines were kept, and the instance stays
    // deregistered.
    assert_eq!(status_of_task().await, before);
    let logs = raw
        .berth(
            "GetContainerLogs",
            json!({"cluster": "c", "task": task_arn, "containerName": "web"}),
        )
        .await;
    assert_eq!(logs.body["events"], json!([]), "{:?}", logs.body);
    let active = ecs.list_container_instances().cluster("c").send().await.unwrap();
    assert!(active.container_instance_arns().is_empty());

    // The cluster's token still registers a new instance, with a token of its own.
    let registered = raw
        .op_with_token(
            "RegisterContainerInstance",
            json!({"cluster": "c", "totalResources": [
                {"name": "CPU", "type": "INTEGER", "integerValue": 4096},
                {"name": "MEMORY", "type": "INTEGER", "integerValue": 4096}]}),
            &server.agent_token("c"),
        )
        .await;
    assert_eq!(registered.status, 200, "{:?}", registered.body);
    assert_ne!(registered.body["containerInstance"]["containerInstanceArn"], json!(arn));
    assert!(registered.instance_token.is_some_and(|new| new != token));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_carries_reports_and_lines_and_says_they_were_applied_before_it_is_held() {
    let server = Server::start();
    let ecs = server.ecs();
    let raw = server.raw();
    let (arn, token) = cluster_with_one_instance(&server, &ecs).await;
    let started = ecs.run_task().cluster("c").task_definition("web").send().await.unwrap();
    let task_arn = started.tasks()[0].task_arn().unwrap().to_owned();
    let first = raw
        .post_with_token(
            "/agent/v1/poll",
            json!({"cluster": "c", "containerInstanceArn": arn, "generation": -1}),
            &token,
        )
        .await;
    let generation = first.body["generation"].as_i64().unwrap();

    // Nothing changes, so the poll is held (1 s); what it carries is applied meanwhile, and
    // the answer says so first, on a line of its own, then gives the set.
    let report = json!({"taskArn": task_arn, "status": "RUNNING", "startedAt": 1_700_000_000.0,
        "containers": [{"name": "web", "status": "RUNNING", "runtimeId": "r1"}]});
    let lines = json!([{"taskArn": task_arn, "containerName": "web",
        "events": [{"timestamp": 1_700_000_000_000_i64, "stream": "stdout", "message": "hello"}]}]);
    let body = json!({"cluster": "c", "containerInstanceArn": arn, "generation": generation,
        "waitSeconds": 1, "knownDefinitions": ["web:1"], "tasks": [report], "logs": lines});
    let held = std::time::Instant::now();
    let polled = raw.post_with_token("/agent/v1/poll", body, &token).await;
    assert_eq!(polled.status, 200, "{:?}", polled.body);
    assert!(held.elapsed() >= Duration::from_millis(900), "the poll was held");
    let text = polled.body.as_str().expect("two lines").to_owned();
    let parts: Vec<serde_json::Value> =
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(parts.len(), 2, "{text}");
    assert_eq!(parts[0], json!({"applied": true}));
    assert_eq!(parts[1]["generation"].as_i64(), Some(generation));
    assert_eq!(parts[1]["unchanged"].as_array().unwrap().len(), 1);

    let described = ecs.describe_tasks().cluster("c").tasks(&task_arn).send().await.unwrap();
    assert_eq!(described.tasks()[0].last_status(), Some("RUNNING"));
    let logs = raw
        .berth(
            "GetContainerLogs",
            json!({"cluster": "c", "task": task_arn, "containerName": "web"}),
        )
        .await;
    assert_eq!(logs.body["events"][0]["message"], "hello", "{:?}", logs.body);

    // A poll whose set changed is answered at once, beside what it carries; a report on a task
    // the store does not know changes nothing and is still said to be applied.
    ecs.stop_task().cluster("c").task(&task_arn).send().await.unwrap();
    let stray = format!("{}ffff", &task_arn[..task_arn.len() - 4]);
    let stray = json!({"taskArn": stray, "status": "RUNNING"});
    let body = json!({"cluster": "c", "containerInstanceArn": arn, "generation": generation,
        "waitSeconds": 5, "knownDefinitions": ["web:1"], "tasks": [stray]});
    let quick = std::time::Instant::now();
    let polled = raw.post_with_token("/agent/v1/poll", body, &token).await;
    assert!(quick.elapsed() < Duration::from_secs(4), "answered without waiting");
    let text = polled.body.as_str().expect("two lines").to_owned();
    let mut parts: Vec<serde_json::Value> =
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    parts.sort_by_key(|p| p.get("applied").is_none());
    assert_eq!(parts[0], json!({"applied": true}), "{text}");
    assert_eq!(parts[1]["tasks"][0]["desiredStatus"], "STOPPED", "{text}");
}

/// The administrator, a user allowed to register container instances in cluster `c` only (and
/// to look at them), and one allowed only to look.
fn registrar_auth_file() -> String {
    format!(
        r#"{}
[[users]]
name = "registrar"
policies = ['''{{"Statement": [
  {{"Effect": "Allow", "Action": "ecs:RegisterContainerInstance", "Resource": "arn:aws:ecs:*:*:cluster/c"}},
  {{"Effect": "Allow", "Action": ["ecs:Describe*", "ecs:List*"], "Resource": "*"}}]}}''']
[[users.keys]]
access-key-id = "AKIDREGISTRAR"
secret-access-key = "registrar-secret"

[[users]]
name = "viewer"
policies = ['{{"Statement": {{"Effect": "Allow", "Action": ["ecs:Describe*", "ecs:List*"], "Resource": "*"}}}}']
[[users.keys]]
access-key-id = "AKIDVIEWER"
secret-access-key = "viewer-secret"
"#,
        crate::common::admin_auth_file()
    )
}

/// An EC2 instance identity document, made up.
const IDENTITY_DOCUMENT: &str = r#"{"accountId": "000000000000", "architecture": "x86_64",
    "availabilityZone": "us-east-1b", "imageId": "ami-0123456789abcdef0",
    "instanceId": "i-0a1b2c3d4e5f60718", "instanceType": "m6i.large",
    "pendingTime": "2024-05-01T12:00:00Z", "privateIp": "10.1.2.3", "region": "us-east-1",
    "version": "2017-09-30"}"#;

/// RegisterContainerInstance as tooling calls it with an IAM user's credentials.
fn user_registration(ecs: &aws_sdk_ecs::Client, cluster: &str) -> RegisterCall {
    let integer = |name: &str, value: i32| {
        Resource::builder().name(name).r#type("INTEGER").integer_value(value).build()
    };
    ecs.register_container_instance()
        .cluster(cluster)
        .instance_identity_document(IDENTITY_DOCUMENT)
        .instance_identity_document_signature("not checked")
        .total_resources(integer("CPU", 2048))
        .total_resources(integer("MEMORY", 1536))
        .tags(Tag::builder().key("team").value("infra").build())
}

type RegisterCall =
    aws_sdk_ecs::operation::register_container_instance::builders::RegisterContainerInstanceFluentBuilder;

async fn describe(ecs: &aws_sdk_ecs::Client, arn: &str) -> ContainerInstance {
    let out = ecs
        .describe_container_instances()
        .cluster("c")
        .container_instances(arn)
        .include(ContainerInstanceField::Tags)
        .send()
        .await
        .unwrap();
    out.container_instances()[0].clone()
}

fn attribute_of(instance: &ContainerInstance, name: &str) -> Option<String> {
    instance.attributes().iter().find(|a| a.name() == name).and_then(|a| a.value().map(Into::into))
}

/// A user allowed `ecs:RegisterContainerInstance` registers an instance from an identity
/// document; it has no agent, so nothing is placed on it, until a (simulated) agent adopts it
/// with the cluster's token: then it is connected and runs tasks, and a restarted agent is still
/// that instance. A user without the permission is refused and nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_iam_user_registers_an_instance_and_an_agent_adopts_it() {
    let dir = tempfile::tempdir().unwrap();
    let auth = dir.path().join("auth.toml");
    std::fs::write(&auth, registrar_auth_file()).unwrap();
    let server = Server::start_with_args(&["--auth-config", auth.to_str().unwrap()]);
    let ecs = server.ecs();
    for name in ["c", "other"] {
        ecs.create_cluster().cluster_name(name).send().await.unwrap();
    }
    register_web(&ecs).await;
    let registrar = ecs_client_as(&server.endpoint, "AKIDREGISTRAR", "registrar-secret");
    let viewer = ecs_client_as(&server.endpoint, "AKIDVIEWER", "viewer-secret");

    // Not allowed: refused, and nothing is registered.
    let err = user_registration(&viewer, "c").send().await.unwrap_err();
    assert_eq!(code(&err), "AccessDeniedException");
    assert!(
        message(&err).contains("is not authorized to perform: ecs:RegisterContainerInstance on resource: arn:aws:ecs:us-east-1:000000000000:cluster/c"),
        "{}",
        message(&err)
    );
    let err = user_registration(&registrar, "other").send().await.unwrap_err();
    assert_eq!(code(&err), "AccessDeniedException");
    for cluster in ["c", "other"] {
        let listed = ecs.list_container_instances().cluster(cluster).send().await.unwrap();
        assert!(listed.container_instance_arns().is_empty(), "{cluster}");
    }

    // Allowed: the instance is the document's host, with the resources given, and no agent.
    let registered = user_registration(&registrar, "c").send().await.unwrap();
    let arn = registered.container_instance().unwrap().container_instance_arn().unwrap().to_owned();
    let instance = describe(&registrar, &arn).await;
    assert_eq!(instance.ec2_instance_id(), Some("i-0a1b2c3d4e5f60718"));
    assert_eq!(attribute_of(&instance, "ecs.availability-zone").as_deref(), Some("us-east-1b"));
    assert_eq!(attribute_of(&instance, "ecs.instance-type").as_deref(), Some("m6i.large"));
    assert_eq!(attribute_of(&instance, "ecs.ami-id").as_deref(), Some("ami-0123456789abcdef0"));
    assert_eq!(attribute_of(&instance, "ecs.cpu-architecture").as_deref(), Some("x86_64"));
    let registered_value = |instance: &ContainerInstance, name: &str| {
        instance
            .registered_resources()
            .iter()
            .find(|r| r.name() == Some(name))
            .unwrap()
            .integer_value()
    };
    assert_eq!(registered_value(&instance, "CPU"), 2048);
    assert_eq!(registered_value(&instance, "MEMORY"), 1536);
    assert!(!instance.agent_connected());
    assert_eq!(instance.status(), Some("ACTIVE"));
    assert_eq!(instance.tags()[0].key(), Some("team"));
    assert_eq!(
        ecs.list_container_instances().cluster("c").send().await.unwrap().container_instance_arns(),
        std::slice::from_ref(&arn)
    );

    // Without an agent it takes no task.
    let out = ecs.run_task().cluster("c").task_definition("web").send().await.unwrap();
    assert!(out.tasks().is_empty());
    assert_eq!(out.failures()[0].reason(), Some("AGENT"));
    assert_eq!(out.failures()[0].arn(), Some(arn.as_str()));
    let out = ecs
        .start_task()
        .cluster("c")
        .task_definition("web")
        .container_instances(&arn)
        .send()
        .await
        .unwrap();
    assert!(out.tasks().is_empty());
    assert_eq!(out.failures()[0].reason(), Some("AGENT"));

    // An agent adopts it: the same instance, now connected, keeping what it was registered as.
    let agent = SimAgent::adopt(&server, "c", "zone-a", &arn);
    let adopted = eventually(10, "the adopted instance connected", || {
        let ecs = ecs.clone();
        let arn = arn.clone();
        async move {
            let instance = describe(&ecs, &arn).await;
            instance.agent_connected().then_some(instance)
        }
    })
    .await;
    assert_eq!(instances(&ecs, "c", 1).await, vec![arn.clone()]);
    assert_eq!(adopted.ec2_instance_id(), Some("i-0a1b2c3d4e5f60718"));
    assert_eq!(attribute_of(&adopted, "ecs.availability-zone").as_deref(), Some("us-east-1b"));
    assert_eq!(attribute_of(&adopted, "ecs.instance-type").as_deref(), Some("m6i.large"));
    assert_eq!(attribute_of(&adopted, "ecs.os-type").as_deref(), Some("linux"));
    assert_eq!(adopted.tags()[0].value(), Some("infra"));
    assert_eq!(adopted.version_info().unwrap().agent_version(), Some("0.1.0"));
    // The agent measured the host: its resources replace those registered.
    assert_eq!(registered_value(&adopted, "CPU"), 4 * 1024);
    assert!(adopted.version() > instance.version());

    // And a task runs there.
    let out = ecs.run_task().cluster("c").task_definition("web").send().await.unwrap();
    assert_eq!(out.tasks().len(), 1, "{:?}", out.failures());
    let task = out.tasks()[0].task_arn().unwrap().to_owned();
    assert_eq!(out.tasks()[0].container_instance_arn(), Some(arn.as_str()));
    eventually(10, "the task RUNNING", || {
        let ecs = ecs.clone();
        let task = task.clone();
        async move {
            let out = ecs.describe_tasks().cluster("c").tasks(task).send().await.unwrap();
            (out.tasks()[0].last_status() == Some("RUNNING")).then_some(())
        }
    })
    .await;

    // Restarted without being told, the agent is the adopted instance still (its state
    // directory says so), and stays the host it was registered as.
    let (runtime, state_dir) = agent.stop().await;
    let _agent = SimAgent::start_on(&server, "c", "zone-a", runtime, state_dir);
    let adopted_version = adopted.version();
    let again = eventually(10, "the instance re-registered", || {
        let ecs = ecs.clone();
        let arn = arn.clone();
        async move {
            let again = describe(&ecs, &arn).await;
            (again.version() > adopted_version && again.agent_connected()).then_some(again)
        }
    })
    .await;
    assert_eq!(instances(&ecs, "c", 1).await, vec![arn.clone()]);
    assert_eq!(again.ec2_instance_id(), Some("i-0a1b2c3d4e5f60718"));
    assert_eq!(attribute_of(&again, "ecs.availability-zone").as_deref(), Some("us-east-1b"));
    assert_eq!(attribute_of(&again, "ecs.instance-type").as_deref(), Some("m6i.large"));
    assert_eq!(again.running_tasks_count(), 1);
}

/// An agent told to adopt an instance that an agent already holds does not take it, and does
/// not register another one instead: it stops.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_does_not_adopt_an_instance_another_agent_holds() {
    let server = Server::start();
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    let _holder = SimAgent::start(&server, "c", "zone-a");
    let arn = instances(&ecs, "c", 1).await.remove(0);
    let state_dir = tempfile::tempdir().unwrap();
    let mut config = agent::agent::AgentConfig::new(
        &server.endpoint,
        "c",
        &server.agent_token("c"),
        state_dir.path().to_path_buf(),
    );
    config.container_instance_arn = Some(arn.clone());
    let runtime = agent::sim::SimRuntime::new(agent::sim::SimOptions::default());
    let intruder = agent::agent::Agent::new(config, std::sync::Arc::new(runtime));
    let ended = tokio::time::timeout(Duration::from_secs(10), intruder.run(std::future::pending()))
        .await
        .expect("the agent stops by itself");
    let error = ended.expect_err("the adoption is refused");
    assert!(
        matches!(&error, agent::agent::AgentError::Refused { arn: refused, .. } if *refused == arn)
    );
    let cause = std::error::Error::source(&error).unwrap().to_string();
    assert!(cause.starts_with("AccessDeniedException: "), "{cause}");
    assert!(cause.contains("is held by an agent"), "{cause}");
    assert_eq!(instances(&ecs, "c", 1).await, vec![arn.clone()]);
    assert!(describe(&ecs, &arn).await.agent_connected());
}
