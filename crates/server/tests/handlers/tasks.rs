//! RunTask, StartTask, StopTask, DescribeTasks, ListTasks, SubmitTaskStateChange and
//! SubmitContainerStateChange.

use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{Harness, Instance, arn};

/// Cluster `c` with the definition `web:1` and one instance.
async fn cluster() -> (Harness, Instance) {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.register_definition("web").await;
    let instance = h.register_instance("c").await;
    (h, instance)
}

/// A RunTask request for `web` in `c` with `extra` members.
fn run(extra: Value) -> Value {
    let mut body = json!({"cluster": "c", "taskDefinition": "web"});
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

async fn task_arns(h: &Harness, desired: &str) -> Value {
    let body = h.call("ListTasks", json!({"cluster": "c", "desiredStatus": desired})).await.ok();
    body["taskArns"].clone()
}

#[tokio::test]
async fn run_task_refuses_missing_and_invalid_members() {
    let (h, _) = cluster().await;
    h.rejects("RunTask", json!({"cluster": "c"}), "Missing required parameter: taskDefinition.")
        .await;
    h.refuses(
        "RunTask",
        run(json!({"cluster": "nope"})),
        "ClusterNotFoundException",
        "Cluster not found.",
    )
    .await;
    let cases = [
        (json!({"count": 0}), "count must be between 1 and 10; got 0."),
        (json!({"count": 11}), "count must be between 1 and 10; got 11."),
        (json!({"count": -3}), "count must be between 1 and 10; got -3."),
        (json!({"count": "2"}), "count: expected an integer, got a string"),
        (
            json!({"startedBy": "me and you"}),
            "startedBy can be up to 128 letters, numbers, hyphens, underscores and forward slashes.",
        ),
        (json!({"startedBy": "s".repeat(129)}), "startedBy can be up to 128"),
        (json!({"clientToken": ""}), "clientToken must be 1 to 64 characters."),
        (json!({"clientToken": "t".repeat(65)}), "clientToken must be 1 to 64 characters."),
        (json!({"group": ""}), "group must be 1 to 255 characters."),
        (json!({"group": "g".repeat(256)}), "group must be 1 to 255 characters."),
        (
            json!({"tags": [{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]}),
            "Tag key \"k\" is given more than once.",
        ),
        (json!({"taskDefinition": "web:0"}), "Invalid task definition \"web:0\""),
        (json!({"taskDefinition": arn("cluster/c")}), "is not a task-definition ARN"),
        (json!({"launchType": "EC3"}), "Invalid value \"EC3\" for parameter launchType"),
        (
            json!({"propagateTags": "CLUSTER"}),
            "Invalid value \"CLUSTER\" for parameter propagateTags",
        ),
        (
            json!({"overrides": {"containerOverrides": [{"name": "db"}]}}),
            "Override for container \"db\", which is not in the task definition.",
        ),
        (
            json!({"overrides": {"containerOverrides": [{"memory": 64}]}}),
            "Override for container \"\", which is not in the task definition.",
        ),
        (
            json!({"overrides": {"containerOverrides": [{"name": "app", "memory": 5}]}}),
            "Invalid cpu or memory override for container \"app\".",
        ),
        (
            json!({"overrides": {"containerOverrides": [{"name": "app", "memoryReservation": 0}]}}),
            "Invalid cpu or memory override for container \"app\".",
        ),
        (
            json!({"overrides": {"containerOverrides": [{"name": "app", "cpu": -1}]}}),
            "Invalid cpu or memory override for container \"app\".",
        ),
        (json!({"overrides": {"cpu": "a lot"}}), "Invalid task cpu override."),
        (json!({"overrides": {"memory": "0"}}), "Invalid task memory override."),
        (
            json!({"placementConstraints": [{"type": "memberOf", "expression": "attribute:"}]}),
            "Invalid memberOf expression",
        ),
        (
            json!({"placementConstraints": vec![json!({"type": "distinctInstance"}); 11]}),
            "A task can have at most 10 placement constraints",
        ),
        (
            json!({"placementStrategy": [{"type": "spread", "field": "attribute:"}]}),
            "Invalid field \"attribute:\" for the spread placement strategy",
        ),
        (
            json!({"placementStrategy": vec![json!({"type": "random"}); 6]}),
            "At most 5 placement strategies are allowed; got 6.",
        ),
    ];
    for (extra, fragment) in cases {
        h.rejects("RunTask", run(extra), fragment).await;
    }
    assert_eq!(task_arns(&h, "RUNNING").await, json!([]));
}

#[tokio::test]
async fn run_task_refuses_definitions_and_launches_it_cannot_run() {
    let (h, _) = cluster().await;
    let old = h.register_definition("old").await;
    h.call("DeregisterTaskDefinition", json!({"taskDefinition": old})).await.ok();
    h.register_definition_with(json!({"family": "vpc", "networkMode": "awsvpc",
        "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64}]}))
        .await;
    h.register_definition_with(json!({"family": "caps", "containerDefinitions": [
        {"name": "app", "image": "busybox", "memory": 64,
         "linuxParameters": {"capabilities": {"add": ["SYS_ADMIN"]}}}]}))
        .await;
    let cases = [
        (json!({"taskDefinition": "db"}), "ClientException", "TaskDefinition not found: db."),
        (json!({"taskDefinition": "web:9"}), "ClientException", "TaskDefinition not found: web:9."),
        (
            json!({"taskDefinition": "old:1"}),
            "ClientException",
            "TaskDefinition is inactive: old:1.",
        ),
        (
            json!({"taskDefinition": "vpc"}),
            "InvalidParameterException",
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        ),
        (
            json!({"taskDefinition": "caps"}),
            "ClientException",
            "Container app adds Linux capabilities, and cluster c does not allow privileged containers.",
        ),
        (
            json!({"launchType": "FARGATE"}),
            "InvalidParameterException",
            "Task definition does not support launch_type FARGATE.",
        ),
        (
            json!({"launchType": "MANAGED_INSTANCES"}),
            "InvalidParameterException",
            "Berth has no managed instances",
        ),
        (
            json!({"capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]}),
            "InvalidParameterException",
            "cannot contain a capacity provider that is not associated with the cluster",
        ),
    ];
    for (extra, code, fragment) in cases {
        h.refuses("RunTask", run(extra), code, fragment).await;
    }
    assert_eq!(task_arns(&h, "RUNNING").await, json!([]));
}

#[tokio::test]
async fn run_task_without_instances_or_room_places_nothing() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    h.register_definition("web").await;
    h.rejects("RunTask", run(json!({})), "No Container Instances were found in your cluster.")
        .await;
    let instance = h.register_instance("c").await;
    // A deregistered instance is no instance.
    h.call(
        "DeregisterContainerInstance",
        json!({"cluster": "c", "containerInstance": instance.id}),
    )
    .await
    .ok();
    h.rejects("RunTask", run(json!({})), "No Container Instances were found in your cluster.")
        .await;
    // A task that fits nowhere is a failure of an answer that succeeds, and writes nothing.
    let instance = h.register_instance("c").await;
    h.register_definition_with(json!({"family": "big", "containerDefinitions": [
        {"name": "app", "image": "busybox", "memory": 8192}]}))
        .await;
    let before = h.revision();
    let answer = h.call("RunTask", run(json!({"taskDefinition": "big"}))).await.ok();
    assert_eq!(h.revision(), before);
    assert_eq!(answer["tasks"], json!([]));
    assert_eq!(answer["failures"][0]["arn"], json!(instance.arn));
    assert_eq!(answer["failures"][0]["reason"], "RESOURCE:MEMORY");
}

#[tokio::test]
async fn run_task_client_tokens_refuse_other_parameters_for_a_day() {
    let (h, _) = cluster().await;
    let first = h.call("RunTask", run(json!({"clientToken": "t"}))).await.ok();
    let task = first["tasks"][0]["taskArn"].clone();
    // The same request again is the same task.
    let again = h.call("RunTask", run(json!({"clientToken": "t"}))).await.ok();
    assert_eq!(again["tasks"][0]["taskArn"], task);
    let reply = h
        .refuses(
            "RunTask",
            run(json!({"clientToken": "t", "count": 2})),
            "ConflictException",
            "The clientToken was already used with different parameters.",
        )
        .await;
    assert_eq!(reply.body["resourceIds"], json!([task]));
    // The same token in another cluster is another token.
    h.create_cluster("d").await;
    h.register_instance("d").await;
    h.call(
        "RunTask",
        json!({"cluster": "d", "taskDefinition": "web", "clientToken": "t", "count": 2}),
    )
    .await
    .ok();
    // A day later the token is forgotten.
    h.advance(Duration::from_secs(24 * 3600 - 1));
    h.refuses("RunTask", run(json!({"clientToken": "t", "count": 2})), "ConflictException", "")
        .await;
    h.advance(Duration::from_secs(1));
    let later = h.call("RunTask", run(json!({"clientToken": "t", "count": 2}))).await.ok();
    assert_eq!(later["tasks"].as_array().map(Vec::len), Some(2));
    assert_eq!(task_arns(&h, "RUNNING").await.as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn start_task_refuses_unknown_instances_and_bad_lists() {
    let (h, instance) = cluster().await;
    h.create_cluster("d").await;
    let elsewhere = h.register_instance("d").await;
    let start = |instances: Value| json!({"cluster": "c", "taskDefinition": "web", "containerInstances": instances});
    h.rejects(
        "StartTask",
        json!({"cluster": "c", "taskDefinition": "web"}),
        "Missing required parameter: containerInstances.",
    )
    .await;
    h.rejects(
        "StartTask",
        json!({"cluster": "c", "containerInstances": [instance.id]}),
        "Missing required parameter: taskDefinition.",
    )
    .await;
    h.refuses(
        "StartTask",
        json!({"cluster": "nope", "taskDefinition": "web", "containerInstances": [instance.id]}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    h.rejects(
        "StartTask",
        start(json!(instance.id)),
        "containerInstances: expected a list, got a string",
    )
    .await;
    let eleven = vec![instance.id.clone(); 11];
    for list in [json!([]), json!(eleven)] {
        h.rejects(
            "StartTask",
            start(list),
            "containerInstances must list between 1 and 10 container instances.",
        )
        .await;
    }
    h.rejects("StartTask", start(json!(["nope"])), "Container instance nope was not found.").await;
    h.rejects(
        "StartTask",
        start(json!([elsewhere.id])),
        &format!("Container instance {} was not found.", elsewhere.id),
    )
    .await;
    h.rejects(
        "StartTask",
        start(json!([elsewhere.arn])),
        &format!("Container instance {} is not in cluster c.", elsewhere.arn),
    )
    .await;
    h.rejects("StartTask", start(json!([arn("cluster/c")])), "is not a container-instance ARN")
        .await;
    let mut bad = start(json!([instance.id]));
    bad["startedBy"] = json!("a b");
    h.rejects("StartTask", bad, "startedBy can be up to 128").await;
    let mut bad = start(json!([instance.id]));
    bad["taskDefinition"] = json!("db");
    h.refuses("StartTask", bad, "ClientException", "TaskDefinition not found: db.").await;
    let mut bad = start(json!([instance.id]));
    bad["overrides"] = json!({"containerOverrides": [{"name": "sidecar"}]});
    h.rejects("StartTask", bad, "Override for container \"sidecar\"").await;
    assert_eq!(task_arns(&h, "RUNNING").await, json!([]));
}

#[tokio::test]
async fn start_task_on_a_deregistered_instance_places_nothing() {
    let (h, instance) = cluster().await;
    let other = h.register_instance("c").await;
    h.call(
        "DeregisterContainerInstance",
        json!({"cluster": "c", "containerInstance": instance.id}),
    )
    .await
    .ok();
    let before = h.revision();
    let answer = h
        .call(
            "StartTask",
            json!({"cluster": "c", "taskDefinition": "web", "containerInstances": [instance.id]}),
        )
        .await
        .ok();
    assert_eq!(h.revision(), before);
    assert_eq!(answer["tasks"], json!([]));
    assert_eq!(answer["failures"][0]["arn"], json!(instance.arn), "{answer}");
    assert_eq!(answer["failures"][0]["reason"], "INACTIVE", "{answer}");
    // The registered one takes it.
    let answer = h
        .call(
            "StartTask",
            json!({"cluster": "c", "taskDefinition": "web", "containerInstances": [other.arn]}),
        )
        .await
        .ok();
    assert_eq!(answer["tasks"][0]["containerInstanceArn"], json!(other.arn));
}

#[tokio::test]
async fn stop_task_refuses_unknown_tasks_and_long_reasons() {
    let (h, _) = cluster().await;
    h.create_cluster("d").await;
    let task = h.run_task("c", "web").await;
    let id = task.rsplit('/').next().unwrap().to_owned();
    let not_found = "The referenced task was not found.";
    h.rejects("StopTask", json!({"cluster": "c"}), "Missing required parameter: task.").await;
    h.refuses("StopTask", json!({"cluster": "nope", "task": task}), "ClusterNotFoundException", "")
        .await;
    for reference in [
        "0123456789abcdef0123456789abcdef".to_owned(),
        arn(&format!("task/d/{id}")),
        format!("arn:aws:ecs:us-east-1:111111111111:task/c/{id}"),
    ] {
        h.rejects("StopTask", json!({"cluster": "c", "task": reference}), not_found).await;
    }
    // A task of `c` is not found from `d`.
    h.rejects("StopTask", json!({"cluster": "d", "task": id}), not_found).await;
    h.rejects("StopTask", json!({"cluster": "c", "task": arn("service/c/x")}), "is not a task ARN")
        .await;
    h.rejects(
        "StopTask",
        json!({"cluster": "c", "task": id, "reason": 1}),
        "reason: expected a string, got an integer",
    )
    .await;
    h.rejects(
        "StopTask",
        json!({"cluster": "c", "task": id, "reason": "r".repeat(256)}),
        "reason can be at most 255 characters.",
    )
    .await;
    let described = h.describe_task("c", &task).await;
    assert_eq!(described["desiredStatus"], "RUNNING");
    assert_eq!(described["version"], 1);
    // The longest reason is accepted, and a second stop keeps the first reason.
    let stopped = h
        .call("StopTask", json!({"cluster": "c", "task": id, "reason": "r".repeat(255)}))
        .await
        .ok();
    assert_eq!(stopped["task"]["desiredStatus"], "STOPPED");
    let again =
        h.call("StopTask", json!({"cluster": "c", "task": id, "reason": "again"})).await.ok();
    assert_eq!(again["task"]["stoppedReason"], json!("r".repeat(255)));
}

#[tokio::test]
async fn describe_and_list_tasks_refuse_bad_requests() {
    let (h, instance) = cluster().await;
    let task = h.run_task("c", "web").await;
    h.rejects("DescribeTasks", json!({"cluster": "c"}), "Missing required parameter: tasks.").await;
    let many: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    h.rejects(
        "DescribeTasks",
        json!({"cluster": "c", "tasks": many}),
        "DescribeTasks accepts at most 100 tasks.",
    )
    .await;
    h.refuses(
        "DescribeTasks",
        json!({"cluster": "nope", "tasks": [task]}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    h.rejects(
        "DescribeTasks",
        json!({"cluster": "c", "tasks": [task], "include": ["CONTAINERS"]}),
        "Invalid value \"CONTAINERS\" for parameter include[0]: valid values are TAGS.",
    )
    .await;
    h.rejects("DescribeTasks", json!({"cluster": "c", "tasks": task}), "tasks: expected a list")
        .await;
    h.rejects("DescribeTasks", json!({"cluster": "c", "tasks": ["arn:aws:ecs"]}), "Invalid ARN")
        .await;
    let described = h
        .call("DescribeTasks", json!({"cluster": "c", "tasks": [task, "nope", arn("task/d/x")]}))
        .await
        .ok();
    assert_eq!(described["tasks"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        described["failures"],
        json!([
            {"arn": arn("task/c/nope"), "reason": "MISSING"},
            {"arn": arn("task/d/x"), "reason": "MISSING"}
        ])
    );

    h.refuses("ListTasks", json!({"cluster": "nope"}), "ClusterNotFoundException", "").await;
    for bad in [0, 101] {
        h.rejects(
            "ListTasks",
            json!({"cluster": "c", "maxResults": bad}),
            &format!("maxResults must be between 1 and 100; got {bad}."),
        )
        .await;
    }
    h.rejects(
        "ListTasks",
        json!({"cluster": "c", "nextToken": "garbage"}),
        "The nextToken is invalid.",
    )
    .await;
    h.rejects(
        "ListTasks",
        json!({"cluster": "c", "containerInstance": arn("service/c/web")}),
        "is not a container-instance ARN",
    )
    .await;
    h.rejects(
        "ListTasks",
        json!({"cluster": "c", "launchType": "ec2"}),
        "Invalid value \"ec2\" for parameter launchType",
    )
    .await;
    h.rejects(
        "ListTasks",
        json!({"cluster": "c", "family": 1}),
        "family: expected a string, got an integer",
    )
    .await;
    // Filters that match nothing list nothing.
    for filter in [
        json!({"containerInstance": "nope"}),
        json!({"family": "db"}),
        json!({"startedBy": "me"}),
        json!({"desiredStatus": "STOPPED"}),
    ] {
        let mut body = json!({"cluster": "c"});
        for (key, value) in filter.as_object().unwrap() {
            body[key] = value.clone();
        }
        let listed = h.call("ListTasks", body).await.ok();
        assert_eq!(listed["taskArns"], json!([]), "{filter}");
    }
    // A service that does not exist is an error, as in ECS.
    h.refuses(
        "ListTasks",
        json!({"cluster": "c", "serviceName": "api"}),
        "ServiceNotFoundException",
        "Service not found.",
    )
    .await;
    let on_instance =
        h.call("ListTasks", json!({"cluster": "c", "containerInstance": instance.arn})).await.ok();
    assert_eq!(on_instance["taskArns"], json!([task]));
}

/// Cluster `c` with a task placed on instance `a`, and a second instance `b`.
async fn placed() -> (Harness, Instance, Instance, String) {
    let (h, a) = cluster().await;
    let task = h.run_task("c", "web").await;
    let b = h.register_instance("c").await;
    (h, a, b, task)
}

#[tokio::test]
async fn state_changes_come_only_from_the_agent_of_the_task_s_instance() {
    let (h, a, b, task) = placed().await;
    let change = json!({"cluster": "c", "task": task, "status": "RUNNING"});
    let container =
        json!({"cluster": "c", "task": task, "containerName": "app", "status": "RUNNING"});
    let denied = "Only the agent of a container instance of cluster c, holding that instance's token, may call this operation.";
    for (op, body) in
        [("SubmitTaskStateChange", &change), ("SubmitContainerStateChange", &container)]
    {
        // No token (the account's root user is no agent), the cluster's token.
        h.refuses(op, body.clone(), "AccessDeniedException", denied).await;
        let reply = h.call_with_token(op, body.clone(), &h.agent_token("c")).await;
        reply.refused("AccessDeniedException", denied);
        // The agent of another instance does not report on this task.
        let before = h.revision();
        let reply = h.call_with_token(op, body.clone(), &b.token).await;
        reply.invalid("The referenced task was not found.");
        assert_eq!(h.revision(), before);
    }
    let described = h.describe_task("c", &task).await;
    assert_eq!(described["lastStatus"], "PROVISIONING");
    assert_eq!(described["containers"][0]["lastStatus"], "PENDING");
    // The agent of its instance does.
    h.call_with_token("SubmitTaskStateChange", change, &a.token).await.ok();
    assert_eq!(h.describe_task("c", &task).await["lastStatus"], "RUNNING");
}

#[tokio::test]
async fn state_changes_refuse_unknown_clusters_and_tasks() {
    let (h, a, _, task) = placed().await;
    let before = h.describe_task("c", &task).await;
    let revision = h.revision();
    for op in ["SubmitTaskStateChange", "SubmitContainerStateChange"] {
        let call = |body: Value| h.call_with_token(op, body, &a.token);
        call(json!({"cluster": "nope", "task": task, "status": "RUNNING"}))
            .await
            .refused("ClusterNotFoundException", "Cluster not found.");
        // Without `cluster`, the default cluster is meant.
        call(json!({"task": task, "status": "RUNNING"}))
            .await
            .refused("ClusterNotFoundException", "Cluster not found.");
        call(json!({"cluster": "c", "status": "RUNNING"})).await.invalid("task is required.");
        for unknown in ["0123456789abcdef".to_owned(), arn("task/d/0123")] {
            call(json!({"cluster": "c", "task": unknown, "status": "RUNNING"}))
                .await
                .invalid("The referenced task was not found.");
        }
        call(json!({"cluster": "c", "task": "arn:nope", "status": "RUNNING"}))
            .await
            .invalid("Invalid ARN");
        call(json!({"cluster": "c", "task": task, "status": 3}))
            .await
            .invalid("status: expected a string, got an integer");
    }
    h.call_with_token(
        "SubmitContainerStateChange",
        json!({"cluster": "c", "task": task, "exitCode": "0"}),
        &a.token,
    )
    .await
    .invalid("exitCode: expected an integer");
    h.call_with_token(
        "SubmitTaskStateChange",
        json!({"cluster": "c", "task": task, "containers": {}}),
        &a.token,
    )
    .await
    .invalid("containers: expected a list");
    assert_eq!(h.revision(), revision);
    assert_eq!(h.describe_task("c", &task).await, before);
}

#[tokio::test]
async fn state_changes_from_a_deregistered_instance_are_refused() {
    let (h, a, _, task) = placed().await;
    h.call(
        "DeregisterContainerInstance",
        json!({"cluster": "c", "containerInstance": a.arn, "force": true}),
    )
    .await
    .ok();
    let before = h.revision();
    let message = format!("Container instance {} is not registered in cluster c.", a.arn);
    for (op, body) in [
        ("SubmitTaskStateChange", json!({"cluster": "c", "task": task, "status": "RUNNING"})),
        (
            "SubmitContainerStateChange",
            json!({"cluster": "c", "task": task, "containerName": "app", "status": "RUNNING"}),
        ),
    ] {
        h.call_with_token(op, body, &a.token).await.refused("ClientException", &message);
    }
    assert_eq!(h.revision(), before);
    assert_eq!(h.describe_task("c", &task).await["lastStatus"], "PROVISIONING");
}

#[tokio::test]
async fn state_changes_never_move_a_task_backwards() {
    let (h, a, _, task) = placed().await;
    let report = |status: &str| {
        h.call_with_token(
            "SubmitTaskStateChange",
            json!({"cluster": "c", "task": task, "status": status}),
            &a.token,
        )
    };
    report("RUNNING").await.ok();
    let before = h.revision();
    // An earlier status is acknowledged and changes nothing.
    for earlier in ["PENDING", "PROVISIONING", "RUNNING"] {
        assert_eq!(report(earlier).await.ok(), json!({"acknowledgment": "ACK"}));
    }
    assert_eq!(h.revision(), before);
    assert_eq!(h.describe_task("c", &task).await["lastStatus"], "RUNNING");
}

#[tokio::test]
async fn state_changes_with_statuses_ecs_does_not_have_are_refused_and_change_nothing() {
    let (h, a, _, task) = placed().await;
    let before = h.revision();
    let reply = h
        .call_with_token(
            "SubmitTaskStateChange",
            json!({"cluster": "c", "task": task, "status": "EXPLODED"}),
            &a.token,
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_type.as_deref(), Some("InvalidParameterException"));
    assert!(reply.message().contains("\"EXPLODED\""), "{reply:?}");
    let reply = h
        .call_with_token(
            "SubmitTaskStateChange",
            json!({"cluster": "c", "task": task, "status": "RUNNING",
                "containers": [{"containerName": "app", "status": "MELTED"}]}),
            &a.token,
        )
        .await;
    assert_eq!(reply.error_type.as_deref(), Some("InvalidParameterException"));
    let reply = h
        .call_with_token(
            "SubmitContainerStateChange",
            json!({"cluster": "c", "task": task, "containerName": "app", "status": "MELTED"}),
            &a.token,
        )
        .await;
    assert_eq!(reply.error_type.as_deref(), Some("InvalidParameterException"));
    assert!(reply.message().contains("\"MELTED\""), "{reply:?}");
    assert_eq!(h.revision(), before);
    let described = h.describe_task("c", &task).await;
    assert_eq!(described["lastStatus"], "PROVISIONING");
    assert_eq!(described["containers"][0]["lastStatus"], "PENDING");
}

/// A task that looks like a service's (its group), placed on `c`.
async fn service_task(h: &Harness) -> String {
    let reply = h
        .call("RunTask", json!({"cluster": "c", "taskDefinition": "web", "group": "service:web"}))
        .await
        .ok();
    reply["tasks"][0]["taskArn"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn task_protection_is_set_read_and_expires() {
    let (h, _) = cluster().await;
    let task = service_task(&h).await;
    let standalone = h.run_task("c", "web").await;
    let reply = h
        .call(
            "UpdateTaskProtection",
            json!({"cluster": "c", "tasks": [task, standalone, "0123456789abcdef0123456789abcdef"],
                "protectionEnabled": true, "expiresInMinutes": 5}),
        )
        .await
        .ok();
    let protected = &reply["protectedTasks"];
    assert_eq!(protected.as_array().map(Vec::len), Some(1), "{reply}");
    assert_eq!(protected[0]["taskArn"], task.as_str());
    assert_eq!(protected[0]["protectionEnabled"], true);
    let expires = protected[0]["expirationDate"].as_f64().unwrap();
    let reasons: Vec<&str> = reply["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["TASK_NOT_VALID", "MISSING"]);
    // Read back, by name and as the cluster's protected tasks.
    for body in [json!({"cluster": "c", "tasks": [task]}), json!({"cluster": "c"})] {
        let got = h.call("GetTaskProtection", body).await.ok();
        assert_eq!(got["protectedTasks"][0]["expirationDate"].as_f64(), Some(expires), "{got}");
    }
    // Five minutes later it is off.
    h.advance(Duration::from_secs(301));
    let got = h.call("GetTaskProtection", json!({"cluster": "c", "tasks": [task]})).await.ok();
    assert_eq!(got["protectedTasks"][0]["protectionEnabled"], false, "{got}");
    assert!(got["protectedTasks"][0].get("expirationDate").is_none(), "{got}");
    // Turned off by the caller.
    h.call(
        "UpdateTaskProtection",
        json!({"cluster": "c", "tasks": [task], "protectionEnabled": true}),
    )
    .await
    .ok();
    let off = h
        .call(
            "UpdateTaskProtection",
            json!({"cluster": "c", "tasks": [task], "protectionEnabled": false}),
        )
        .await
        .ok();
    assert_eq!(off["protectedTasks"][0]["protectionEnabled"], false);
}

#[tokio::test]
async fn task_protection_refuses_bad_requests_and_writes_nothing() {
    let (h, _) = cluster().await;
    let task = service_task(&h).await;
    for minutes in [0, 2881] {
        h.rejects(
            "UpdateTaskProtection",
            json!({"cluster": "c", "tasks": [task], "protectionEnabled": true,
                "expiresInMinutes": minutes}),
            "expiresInMinutes must be between 1 and 2880",
        )
        .await;
    }
    let eleven: Vec<String> = (0..11).map(|_| task.clone()).collect();
    h.rejects(
        "UpdateTaskProtection",
        json!({"cluster": "c", "tasks": eleven, "protectionEnabled": true}),
        "tasks must list between 1 and 10 tasks.",
    )
    .await;
    h.rejects(
        "UpdateTaskProtection",
        json!({"cluster": "c", "tasks": [task]}),
        "protectionEnabled",
    )
    .await;
    h.refuses(
        "UpdateTaskProtection",
        json!({"cluster": "nope", "tasks": [task], "protectionEnabled": true}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    h.refuses("GetTaskProtection", json!({"cluster": "nope"}), "ClusterNotFoundException", "")
        .await;
}
