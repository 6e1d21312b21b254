//! RegisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions,
//! ListTaskDefinitionFamilies, DeregisterTaskDefinition and DeleteTaskDefinitions.

use serde_json::{Value, json};

use server::config::{Quotas, RawConfig};

use crate::harness::{Harness, arn};

fn app() -> Value {
    json!({"name": "app", "image": "busybox", "memory": 64})
}

fn definition(family: &str, containers: Value) -> Value {
    json!({"family": family, "containerDefinitions": containers})
}

#[tokio::test]
async fn register_refuses_a_missing_or_invalid_family() {
    let h = Harness::new().await;
    h.rejects(
        "RegisterTaskDefinition",
        json!({"containerDefinitions": [app()]}),
        "Missing required parameter: family.",
    )
    .await;
    h.rejects(
        "RegisterTaskDefinition",
        json!({"family": "web"}),
        "Missing required parameter: containerDefinitions.",
    )
    .await;
    h.rejects(
        "RegisterTaskDefinition",
        json!({"family": "web", "containerDefinitions": app()}),
        "containerDefinitions: expected a list, got an object",
    )
    .await;
    let client = |family: Value, fragment: &'static str| {
        let body = json!({"family": family, "containerDefinitions": [app()]});
        h.refuses("RegisterTaskDefinition", body, "ClientException", fragment)
    };
    client(json!(""), "Family should not be null or empty.").await;
    client(json!("x".repeat(256)), "Family is too long. Up to 255 letters").await;
    client(json!("web app"), "Family contains invalid characters.").await;
    client(json!("web:1"), "Family contains invalid characters.").await;
    let families = h.call("ListTaskDefinitionFamilies", json!({"status": "ALL"})).await.ok();
    assert_eq!(families["families"], json!([]));
}

#[tokio::test]
async fn register_refuses_invalid_container_lists() {
    let h = Harness::new().await;
    let client = |containers: Value, fragment: &'static str| {
        h.refuses(
            "RegisterTaskDefinition",
            definition("web", containers),
            "ClientException",
            fragment,
        )
    };
    client(json!([]), "Container list cannot be empty.").await;
    let eleven: Vec<Value> = (0..11)
        .map(|i| json!({"name": format!("c{i}"), "image": "busybox", "memory": 8}))
        .collect();
    client(json!(eleven), "Too many containers. Max allowed is '10'.").await;
    client(
        json!([{"image": "busybox", "memory": 8}]),
        "Container.name should not be null or empty.",
    )
    .await;
    client(
        json!([{"name": "a b", "image": "busybox", "memory": 8}]),
        "Invalid setting for container 'a b'. Container.name contains invalid characters.",
    )
    .await;
    client(json!([app(), app()]), "Container names must be unique within a Task Definition.").await;
    client(json!([{"name": "app", "memory": 8}]), "Container.image should not be null or empty.")
        .await;
    client(
        json!([{"name": "app", "image": " ", "memory": 8}]),
        "Container.image should not be null",
    )
    .await;
    client(
        json!([{"name": "app", "image": "busybox"}]),
        "At least one of 'memory' or 'memoryReservation' must be specified.",
    )
    .await;
    client(
        json!([{"name": "app", "image": "busybox", "memory": 8, "essential": false}]),
        "At least one essential container is required.",
    )
    .await;
    client(
        json!([{"name": "a", "image": "busybox", "memory": 8,
                "portMappings": [{"containerPort": 80, "hostPort": 8080}]},
               {"name": "b", "image": "busybox", "memory": 8,
                "portMappings": [{"containerPort": 81, "hostPort": 8080}]}]),
        "TCP host port '8080' is mapped multiple times in task.",
    )
    .await;
    client(
        json!([{"name": "a", "image": "busybox", "memory": 8,
                "dependsOn": [{"containerName": "b", "condition": "START"}]},
               {"name": "b", "image": "busybox", "memory": 8,
                "dependsOn": [{"containerName": "a", "condition": "START"}]}]),
        "The dependsOn settings form a cycle: 'a' -> 'b' -> 'a'.",
    )
    .await;
    // Wrong types inside a container are named by their path.
    h.rejects(
        "RegisterTaskDefinition",
        definition("web", json!([{"name": "app", "image": "busybox", "memory": "512"}])),
        "containerDefinitions[0].memory: expected an integer, got a string",
    )
    .await;
    h.rejects(
        "RegisterTaskDefinition",
        definition(
            "web",
            json!([{"name": "app", "image": "busybox", "memory": 8,
            "portMappings": [{"containerPort": 80, "protocol": "sctp"}]}]),
        ),
        "Invalid value \"sctp\" for parameter containerDefinitions[0].portMappings[0].protocol",
    )
    .await;
    let families = h.call("ListTaskDefinitionFamilies", json!({"status": "ALL"})).await.ok();
    assert_eq!(families["families"], json!([]));
}

#[tokio::test]
async fn register_refuses_invalid_task_settings() {
    let h = Harness::new().await;
    let with = |extra: Value| {
        let mut body = definition("web", json!([app()]));
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    h.rejects(
        "RegisterTaskDefinition",
        with(json!({"cpu": "lots"})),
        "Invalid 'cpu' setting for task. 'lots' is neither a number of CPU units",
    )
    .await;
    h.rejects(
        "RegisterTaskDefinition",
        with(json!({"memory": "0.3 TB"})),
        "Invalid 'memory' setting for task. '0.3 TB' is neither a number of MiB",
    )
    .await;
    h.refuses(
        "RegisterTaskDefinition",
        with(json!({"cpu": "999999"})),
        "ClientException",
        "The task cpu must be between",
    )
    .await;
    h.refuses(
        "RegisterTaskDefinition",
        with(json!({"memory": "32"})),
        "ClientException",
        "The 'memory' setting for container 'app' is greater than for the task.",
    )
    .await;
    h.rejects(
        "RegisterTaskDefinition",
        with(json!({"networkMode": "bridged"})),
        "Invalid value \"bridged\" for parameter networkMode: valid values are bridge, host, awsvpc, none.",
    )
    .await;
    h.refuses(
        "RegisterTaskDefinition",
        with(json!({"requiresCompatibilities": ["FARGATE"]})),
        "ClientException",
        "Fargate only supports network mode 'awsvpc'.",
    )
    .await;
    h.refuses(
        "RegisterTaskDefinition",
        with(json!({"placementConstraints": [{"type": "memberOf"}]})),
        "ClientException",
        "A 'memberOf' constraint requires an expression.",
    )
    .await;
    h.rejects(
        "RegisterTaskDefinition",
        with(
            json!({"placementConstraints": [{"type": "memberOf", "expression": "attribute:x =="}]}),
        ),
        "Invalid placement constraint expression \"attribute:x ==\"",
    )
    .await;
    h.refuses(
        "RegisterTaskDefinition",
        with(json!({"ephemeralStorage": {"sizeInGiB": 10}})),
        "ClientException",
        "sizeInGiB must be between",
    )
    .await;
    h.rejects(
        "RegisterTaskDefinition",
        with(json!({"tags": [{"key": "aws:x", "value": "y"}]})),
        "reserved prefix aws:",
    )
    .await;
    // Nothing was registered, and no revision number was used up.
    let families = h.call("ListTaskDefinitionFamilies", json!({"status": "ALL"})).await.ok();
    assert_eq!(families["families"], json!([]));
    assert_eq!(h.register_definition("web").await, arn("task-definition/web:1"));
}

#[tokio::test]
async fn register_counts_revisions_against_the_quota() {
    let h = Harness::with_config(RawConfig {
        quotas: Some(Quotas { revisions_per_family: 2, ..Quotas::default() }),
        ..RawConfig::default()
    })
    .await;
    h.register_definition("web").await;
    let second = h.register_definition("web").await;
    // Deregistered revisions still count.
    h.call("DeregisterTaskDefinition", json!({"taskDefinition": second})).await.ok();
    h.refuses(
        "RegisterTaskDefinition",
        definition("web", json!([app()])),
        "LimitExceededException",
        "Family web has reached its limit of 2 revisions.",
    )
    .await;
    // Other families have their own.
    assert_eq!(h.register_definition("db").await, arn("task-definition/db:1"));
}

#[tokio::test]
async fn describe_task_definition_refuses_unknown_and_invalid_references() {
    let h = Harness::new().await;
    let first = h.register_definition("web").await;
    h.register_definition("web").await;
    h.rejects("DescribeTaskDefinition", json!({}), "Missing required parameter: taskDefinition.")
        .await;
    h.rejects(
        "DescribeTaskDefinition",
        json!({"taskDefinition": 1}),
        "taskDefinition: expected a string, got an integer",
    )
    .await;
    for unknown in [
        "db",
        "web:3",
        "arn:aws:ecs:us-east-1:111111111111:task-definition/web:1",
        "arn:aws:ecs:eu-west-1:000000000000:task-definition/web:1",
    ] {
        h.refuses(
            "DescribeTaskDefinition",
            json!({"taskDefinition": unknown}),
            "ClientException",
            "Unable to describe task definition.",
        )
        .await;
    }
    for invalid in ["web:0", "web:-1", "web:x", "web:", "we b", ":1"] {
        h.rejects(
            "DescribeTaskDefinition",
            json!({"taskDefinition": invalid}),
            &format!("Invalid task definition {invalid:?}: expected family, family:revision or a task definition ARN."),
        )
        .await;
    }
    // An ARN must name a revision.
    h.rejects(
        "DescribeTaskDefinition",
        json!({"taskDefinition": arn("task-definition/web")}),
        "expected family, family:revision or a task definition ARN",
    )
    .await;
    h.rejects(
        "DescribeTaskDefinition",
        json!({"taskDefinition": arn("cluster/web")}),
        "is not a task-definition ARN",
    )
    .await;
    h.rejects(
        "DescribeTaskDefinition",
        json!({"taskDefinition": "web", "include": ["EVERYTHING"]}),
        "Invalid value \"EVERYTHING\" for parameter include[0]: valid values are TAGS.",
    )
    .await;
    // A family names its latest ACTIVE revision: none once both are deregistered, while each
    // revision stays describable by number.
    for revision in ["web:1", "web:2"] {
        h.call("DeregisterTaskDefinition", json!({"taskDefinition": revision})).await.ok();
    }
    h.refuses(
        "DescribeTaskDefinition",
        json!({"taskDefinition": "web"}),
        "ClientException",
        "Unable to describe task definition.",
    )
    .await;
    let described = h.call("DescribeTaskDefinition", json!({"taskDefinition": first})).await.ok();
    assert_eq!(described["taskDefinition"]["status"], "INACTIVE");
}

#[tokio::test]
async fn listings_check_page_size_token_and_filters() {
    let h = Harness::new().await;
    h.register_definition("web").await;
    for op in ["ListTaskDefinitions", "ListTaskDefinitionFamilies"] {
        for bad in [0, 101] {
            h.rejects(
                op,
                json!({"maxResults": bad}),
                &format!("maxResults must be between 1 and 100; got {bad}."),
            )
            .await;
        }
        h.rejects(op, json!({"nextToken": "garbage"}), "The nextToken is invalid.").await;
        h.rejects(op, json!({"familyPrefix": ["web"]}), "familyPrefix: expected a string").await;
    }
    h.rejects(
        "ListTaskDefinitions",
        json!({"status": "DELETED"}),
        "Invalid value \"DELETED\" for parameter status: valid values are ACTIVE, INACTIVE, DELETE_IN_PROGRESS.",
    )
    .await;
    h.rejects(
        "ListTaskDefinitions",
        json!({"sort": "RANDOM"}),
        "Invalid value \"RANDOM\" for parameter sort: valid values are ASC, DESC.",
    )
    .await;
    h.rejects(
        "ListTaskDefinitionFamilies",
        json!({"status": "DELETE_IN_PROGRESS"}),
        "Invalid value \"DELETE_IN_PROGRESS\" for parameter status: valid values are ACTIVE, INACTIVE, ALL.",
    )
    .await;
    // Each listing's tokens are its own.
    h.register_definition("web").await;
    let page = h.call("ListTaskDefinitions", json!({"maxResults": 1})).await.ok();
    let token = page["nextToken"].as_str().expect("a second page");
    h.rejects(
        "ListTaskDefinitionFamilies",
        json!({"nextToken": token}),
        "The nextToken is invalid.",
    )
    .await;
    h.rejects("ListClusters", json!({"nextToken": token}), "The nextToken is invalid.").await;
    // An unknown family lists nothing rather than failing.
    let listed = h.call("ListTaskDefinitions", json!({"familyPrefix": "nope"})).await.ok();
    assert_eq!(listed["taskDefinitionArns"], json!([]));
}

#[tokio::test]
async fn deregister_needs_an_existing_revision() {
    let h = Harness::new().await;
    let web = h.register_definition("web").await;
    h.rejects("DeregisterTaskDefinition", json!({}), "Missing required parameter: taskDefinition.")
        .await;
    h.rejects(
        "DeregisterTaskDefinition",
        json!({"taskDefinition": ["web:1"]}),
        "taskDefinition: expected a string, got a list",
    )
    .await;
    h.refuses(
        "DeregisterTaskDefinition",
        json!({"taskDefinition": "web"}),
        "ClientException",
        "Invalid task definition \"web\": a revision is required (family:revision or an ARN).",
    )
    .await;
    for unknown in ["web:2", "db:1", "arn:aws:ecs:us-east-1:111111111111:task-definition/web:1"] {
        h.refuses(
            "DeregisterTaskDefinition",
            json!({"taskDefinition": unknown}),
            "ClientException",
            "The specified task definition does not exist.",
        )
        .await;
    }
    h.rejects(
        "DeregisterTaskDefinition",
        json!({"taskDefinition": "web:0"}),
        "Invalid task definition",
    )
    .await;
    let described = h.call("DescribeTaskDefinition", json!({"taskDefinition": "web:1"})).await.ok();
    assert_eq!(described["taskDefinition"]["status"], "ACTIVE");
    // Deregistering twice is not an error; a revision being deleted cannot be deregistered.
    let first = h.call("DeregisterTaskDefinition", json!({"taskDefinition": web})).await.ok();
    let second = h.call("DeregisterTaskDefinition", json!({"taskDefinition": "web:1"})).await.ok();
    assert_eq!(first, second);
    h.call("DeleteTaskDefinitions", json!({"taskDefinitions": ["web:1"]})).await.ok();
    h.refuses(
        "DeregisterTaskDefinition",
        json!({"taskDefinition": "web:1"}),
        "ClientException",
        "The specified task definition is being deleted and cannot be deregistered.",
    )
    .await;
}

#[tokio::test]
async fn delete_task_definitions_refuses_bad_lists_and_reports_failures() {
    let h = Harness::new().await;
    h.register_definition("web").await;
    h.register_definition("web").await;
    h.rejects("DeleteTaskDefinitions", json!({}), "Missing required parameter: taskDefinitions.")
        .await;
    h.rejects(
        "DeleteTaskDefinitions",
        json!({"taskDefinitions": "web:1"}),
        "taskDefinitions: expected a list, got a string",
    )
    .await;
    h.rejects(
        "DeleteTaskDefinitions",
        json!({"taskDefinitions": []}),
        "taskDefinitions must list between 1 and 10 task definitions.",
    )
    .await;
    let eleven: Vec<String> = (1..=11).map(|i| format!("web:{i}")).collect();
    h.rejects(
        "DeleteTaskDefinitions",
        json!({"taskDefinitions": eleven}),
        "taskDefinitions must list between 1 and 10 task definitions.",
    )
    .await;
    // A family without a revision is a failure of an answer that succeeds (see below).
    h.rejects(
        "DeleteTaskDefinitions",
        json!({"taskDefinitions": ["web:0"]}),
        "Invalid task definition",
    )
    .await;
    // Revisions that cannot be deleted are failures of an answer that succeeds, and are left
    // as they were.
    let before = h.revision();
    let other_account = "arn:aws:ecs:us-east-1:111111111111:task-definition/web:1";
    let answer = h
        .call(
            "DeleteTaskDefinitions",
            json!({"taskDefinitions": ["web:1", "web:9", other_account]}),
        )
        .await
        .ok();
    assert_eq!(h.revision(), before);
    assert_eq!(answer["taskDefinitions"], json!([]));
    assert_eq!(
        answer["failures"],
        json!([
            {"arn": "web:1", "reason": "The specified task definition is still in ACTIVE status. Please deregister the target and try again."},
            {"arn": "web:9", "reason": "The specified task definition does not exist."},
            {"arn": other_account, "reason": "The specified task definition does not exist."}
        ])
    );
    let described = h.call("DescribeTaskDefinition", json!({"taskDefinition": "web:1"})).await.ok();
    assert_eq!(described["taskDefinition"]["status"], "ACTIVE");
}

#[tokio::test]
async fn delete_task_definitions_with_an_invalid_reference_after_a_valid_one() {
    let h = Harness::new().await;
    h.register_definition("web").await;
    h.call("DeregisterTaskDefinition", json!({"taskDefinition": "web:1"})).await.ok();
    let answer =
        h.call("DeleteTaskDefinitions", json!({"taskDefinitions": ["web:1", "web"]})).await.ok();
    // As in ECS, a reference without a revision is a failure of its own: web:1 is deleted.
    assert_eq!(answer["taskDefinitions"][0]["status"], "DELETE_IN_PROGRESS");
    assert_eq!(answer["failures"][0]["arn"], "web");
    let reason = answer["failures"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("a revision is required"), "{reason}");
    let described = h.call("DescribeTaskDefinition", json!({"taskDefinition": "web:1"})).await.ok();
    assert_eq!(described["taskDefinition"]["status"], "DELETE_IN_PROGRESS");
}
