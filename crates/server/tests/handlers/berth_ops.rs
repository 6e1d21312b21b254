//! Berth's own operations: `BerthV1.GetContainerLogs` and `BerthV1.DescribeTaskUsage`. Their
//! requests are typed by serde alone (there is no ECS model for them), so a missing or
//! mistyped member is an `InvalidParameterException` whose message starts `Invalid request:`.

use serde_json::json;

use crate::harness::{Harness, arn};

/// Cluster `c` with one task of `web` placed on an instance. Returns the task's ARN.
async fn with_task() -> (Harness, String) {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.register_definition("web").await;
    h.register_instance("c").await;
    let task = h.run_task("c", "web").await;
    (h, task)
}

#[tokio::test]
async fn get_container_logs_refuses_missing_and_mistyped_members() {
    let (h, task) = with_task().await;
    let before = h.revision();
    let cases = [
        (json!({"cluster": "c", "containerName": "app"}), "Invalid request: missing field `task`."),
        (json!({"cluster": "c", "task": task}), "Invalid request: missing field `containerName`."),
        (
            json!({"cluster": "c", "task": 7, "containerName": "app"}),
            "Invalid request: invalid type: integer `7`, expected a string.",
        ),
        (
            json!({"cluster": "c", "task": task, "containerName": "app", "limit": "10"}),
            "Invalid request: invalid type: string \"10\", expected i32.",
        ),
        (
            json!({"cluster": "c", "task": task, "containerName": "app", "startFromHead": 1}),
            "Invalid request: invalid type: integer `1`, expected a boolean.",
        ),
    ];
    for (body, fragment) in cases {
        h.berth("GetContainerLogs", body).await.invalid(fragment);
    }
    assert_eq!(h.revision(), before);
}

#[tokio::test]
async fn get_container_logs_refuses_unknown_tasks_and_bad_positions() {
    let (h, task) = with_task().await;
    let before = h.revision();
    let logs = |body: serde_json::Value| h.berth("GetContainerLogs", body);
    logs(json!({"cluster": "nope", "task": task, "containerName": "app"}))
        .await
        .refused("ClusterNotFoundException", "Cluster not found.");
    for unknown in ["0123456789abcdef".to_owned(), arn("task/d/0123")] {
        logs(json!({"cluster": "c", "task": unknown, "containerName": "app"}))
            .await
            .refused("ResourceNotFoundException", "The referenced task was not found.");
    }
    logs(json!({"cluster": "c", "task": "arn:x", "containerName": "app"}))
        .await
        .invalid("Invalid ARN");
    logs(json!({"cluster": "c", "task": arn("cluster/c"), "containerName": "app"}))
        .await
        .invalid("is not a task ARN");
    for limit in [0, 10_001, -1] {
        logs(json!({"cluster": "c", "task": task, "containerName": "app", "limit": limit}))
            .await
            .invalid(&format!("limit must be between 1 and 10000; got {limit}."));
    }
    for token in ["x", "1", "1.x", "-1.0"] {
        logs(json!({"cluster": "c", "task": task, "containerName": "app", "nextToken": token}))
            .await
            .invalid("The nextToken is invalid.");
    }
    // A container the task does not have has no lines (it is not an error).
    let empty = logs(json!({"cluster": "c", "task": task, "containerName": "sidecar"})).await.ok();
    assert_eq!(empty, json!({"events": [], "nextForwardToken": "0.0"}));
    assert_eq!(h.revision(), before);
}

#[tokio::test]
async fn describe_task_usage_refuses_unknown_clusters_and_foreign_tasks() {
    let (h, task) = with_task().await;
    let usage = |body: serde_json::Value| h.berth("DescribeTaskUsage", body);
    usage(json!({"cluster": "nope"}))
        .await
        .refused("ClusterNotFoundException", "Cluster not found.");
    // Without `cluster`, the default cluster is meant.
    usage(json!({})).await.refused("ClusterNotFoundException", "Cluster not found.");
    usage(json!({"cluster": "c", "tasks": task}))
        .await
        .invalid("Invalid request: invalid type: string");
    usage(json!({"cluster": "c", "tasks": [1]})).await.invalid("Invalid request: invalid type");
    usage(json!({"cluster": "c", "tasks": [arn("task/d/0123")]}))
        .await
        .invalid("The referenced task was not found.");
    usage(json!({"cluster": "c", "tasks": ["arn:aws"]})).await.invalid("Invalid ARN");
    // Tasks with no sample yet, known or not, have no usage.
    let answer = usage(json!({"cluster": "c", "tasks": [task, "0123"]})).await.ok();
    assert_eq!(answer, json!({"usage": []}));
}
