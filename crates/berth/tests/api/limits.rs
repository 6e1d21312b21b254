//! Adversarial input to every recursive parser a request reaches: cluster query language
//! expressions (the `ListContainerInstances` filter and `memberOf` constraints of RunTask,
//! CreateService and task definitions) nested 2,000 levels deep, or a flat chain of 50,000
//! terms; JSON bodies nested past serde_json's limit; IAM policies in the auth file. Each is
//! refused with the protocol's error, changes nothing, and the server keeps serving.

use std::time::Duration;

use serde_json::json;

use crate::common::{ADMIN_KEY, ADMIN_SECRET, Server, SimAgent, code, ecs_client_as, eventually};

/// `depth` parentheses around one term (the report's 2,000 levels are 4,016 characters).
fn nested(depth: usize) -> String {
    format!("{}attribute:a == b{}", "(".repeat(depth), ")".repeat(depth))
}

/// A flat chain of `terms` terms joined by `or` (50,000 terms are about 1 MB).
fn or_chain(terms: usize) -> String {
    vec!["attribute:a == b"; terms].join(" or ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_and_long_expressions_are_refused_and_the_server_keeps_serving() {
    let server = Server::start();
    let raw = server.raw();
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    let _agent = SimAgent::start(&server, "c", "zone-a");
    let registered = raw
        .op(
            "RegisterTaskDefinition",
            json!({"family": "web", "containerDefinitions": [
                {"name": "web", "image": "busybox", "memory": 64, "command": ["httpd"]}]}),
        )
        .await;
    assert_eq!(registered.status, 200, "{:?}", registered.body);
    eventually(10, "the agent's instance", || async {
        let listed = ecs.list_container_instances().cluster("c").send().await.unwrap();
        (listed.container_instance_arns().len() == 1).then_some(())
    })
    .await;

    let expressions = [
        ("2,000 levels", nested(2000), "parentheses nest more than 64 deep"),
        ("65 levels", nested(65), "parentheses nest more than 64 deep"),
        ("50,000 terms", or_chain(50_000), "the maximum is 4096"),
    ];
    for (what, expression, filter_words) in &expressions {
        let refused =
            raw.op("ListContainerInstances", json!({"cluster": "c", "filter": expression})).await;
        assert_eq!(refused.status, 400, "{what}: {:?}", refused.error_type);
        assert_eq!(refused.error_type.as_deref(), Some("InvalidParameterException"), "{what}");
        let message = refused.body["message"].as_str().unwrap();
        assert!(message.contains(filter_words), "{what}: {message:.200}");
        assert!(message.len() < 5000, "{what}: the message does not echo a huge filter");

        // A memberOf expression is at most 2,000 characters; within that, 64 levels.
        let constraint = json!([{"type": "memberOf", "expression": expression}]);
        let requests = [
            (
                "RunTask",
                json!({"cluster": "c", "taskDefinition": "web", "placementConstraints": constraint}),
            ),
            (
                "CreateService",
                json!({"cluster": "c", "serviceName": "s", "taskDefinition": "web",
                    "desiredCount": 1, "placementConstraints": constraint}),
            ),
            (
                "RegisterTaskDefinition",
                json!({"family": "deep", "placementConstraints": constraint,
                    "containerDefinitions": [{"name": "web", "image": "busybox", "memory": 64}]}),
            ),
        ];
        for (op, body) in requests {
            let refused = raw.op(op, body).await;
            assert_eq!(refused.status, 400, "{op}, {what}: {:?}", refused.body);
            // Task definitions refuse an over-long expression with the ClientException of the
            // ECS registration rules; everything else is an InvalidParameterException.
            let (code, words) = match (op, expression.chars().count() > 2000) {
                ("RegisterTaskDefinition", true) => ("ClientException", "at most 2000 characters"),
                (_, true) => ("InvalidParameterException", "the maximum is 2000"),
                (_, false) => ("InvalidParameterException", "parentheses nest more than 64 deep"),
            };
            assert_eq!(
                refused.error_type.as_deref(),
                Some(code),
                "{op}, {what}: {:.300}",
                refused.body
            );
            let message = refused.body["message"].as_str().unwrap();
            assert!(message.contains(words), "{op}, {what}: {message:.300}");
        }
    }

    // JSON nested past serde_json's limit.
    let deep_body = format!("{{\"cluster\": {}\"c\"{}}}", "[".repeat(2000), "]".repeat(2000));
    let refused = raw
        .call(Some("AmazonEC2ContainerServiceV20141113.ListContainerInstances"), &deep_body)
        .await;
    assert_eq!(refused.error_type.as_deref(), Some("SerializationException"), "{:?}", refused.body);
    let message = refused.body["message"].as_str().unwrap();
    assert!(message.contains("recursion limit exceeded"), "{message}");

    // Nothing was created, and the server serves as before: the largest accepted nesting
    // filters, and a task still starts.
    let services = ecs.list_services().cluster("c").send().await.unwrap();
    assert!(services.service_arns().is_empty());
    let families = ecs.list_task_definition_families().send().await.unwrap();
    assert_eq!(families.families(), ["web"]);
    let listed = raw
        .op("ListContainerInstances", json!({"cluster": "c", "filter": nested(64).replace("attribute:a == b", "agentConnected == true")}))
        .await;
    assert_eq!(listed.status, 200, "{:?}", listed.body);
    assert_eq!(listed.body["containerInstanceArns"].as_array().unwrap().len(), 1);
    let started = ecs
        .run_task()
        .cluster("c")
        .task_definition("web")
        .placement_constraints(
            aws_sdk_ecs::types::PlacementConstraint::builder()
                .r#type(aws_sdk_ecs::types::PlacementConstraintType::MemberOf)
                .expression(nested(64).replace("attribute:a == b", "agentConnected == true"))
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(started.tasks().len(), 1, "{:?}", started.failures());
}

/// An auth file whose policy nests too deep, as JSON text (past serde_json's limit) or as a
/// TOML table (past the policy's own limit of 16), is refused on reload; the old file stays in
/// force and the server keeps serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_auth_file_with_a_deep_policy_is_refused_and_the_server_keeps_serving() {
    let admin = format!(
        "[[users]]\nname = \"admin\"\nmanaged-policies = [\"AdministratorAccess\"]\n\
         [[users.keys]]\naccess-key-id = \"{ADMIN_KEY}\"\nsecret-access-key = \"{ADMIN_SECRET}\"\n\
         [throttle]\nenabled = false\n"
    );
    let newcomer = |policy: &str| {
        format!(
            "{admin}[[users]]\nname = \"new\"\npolicies = [{policy}]\n\
             [[users.keys]]\naccess-key-id = \"AKIDNEW\"\nsecret-access-key = \"new-secret\"\n"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth.toml");
    std::fs::write(&path, &admin).unwrap();
    let server = Server::start_with_args(&["--auth-config", path.to_str().unwrap()]);
    let new_user = ecs_client_as(&server.endpoint, "AKIDNEW", "new-secret");

    let deep_json = format!(
        "'''{{\"Statement\": {{\"Effect\": \"Allow\", \"Resource\": \"*\", \"Action\": {}\"ecs:*\"{}}}}}'''",
        "[".repeat(2000),
        "]".repeat(2000)
    );
    let deep_table = format!(
        "{{ Statement = {{ Effect = \"Allow\", Resource = \"*\", Action = {}\"ecs:*\"{} }} }}",
        "[".repeat(20),
        "]".repeat(20)
    );
    for policy in [deep_json, deep_table] {
        std::fs::write(&path, newcomer(&policy)).unwrap();
        server.hangup();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let err = new_user.list_clusters().send().await.unwrap_err();
        assert_eq!(code(&err), "UnrecognizedClientException");
        server.ecs().list_clusters().send().await.unwrap();
    }
    // The same file with a sane policy is taken.
    std::fs::write(&path, newcomer("'{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"ecs:*\", \"Resource\": \"*\"}}'")).unwrap();
    server.hangup();
    eventually(10, "the new user's key to work", || async {
        new_user.list_clusters().send().await.ok()
    })
    .await;
}
