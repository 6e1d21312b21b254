//! TagResource, UntagResource and ListTagsForResource.

use serde_json::{Value, json};
use server::config::{Quotas, RawConfig};

use crate::harness::{Harness, arn};

async fn tags_of(h: &Harness, resource: &str) -> Value {
    h.call("ListTagsForResource", json!({"resourceArn": resource})).await.ok()["tags"].clone()
}

/// Cluster `c` and task definition `web:1`, each tagged `team=core`.
async fn tagged() -> Harness {
    let h = Harness::new().await;
    let tags = json!([{"key": "team", "value": "core"}]);
    h.call("CreateCluster", json!({"clusterName": "c", "tags": tags})).await.ok();
    h.register_definition_with(json!({"family": "web", "tags": tags, "containerDefinitions": [
        {"name": "app", "image": "busybox", "memory": 64}]}))
        .await;
    h
}

#[tokio::test]
async fn tag_resource_refuses_what_is_not_a_taggable_resource() {
    let h = tagged().await;
    let tags = json!([{"key": "k", "value": "v"}]);
    h.rejects("TagResource", json!({"tags": tags}), "Missing required parameter: resourceArn.")
        .await;
    h.rejects(
        "TagResource",
        json!({"resourceArn": arn("cluster/c")}),
        "Missing required parameter: tags.",
    )
    .await;
    h.rejects(
        "TagResource",
        json!({"resourceArn": "c", "tags": tags}),
        "resourceArn must be an ARN; got \"c\".",
    )
    .await;
    h.rejects("TagResource", json!({"resourceArn": "arn:x", "tags": tags}), "Invalid ARN: arn:x")
        .await;
    h.refuses(
        "TagResource",
        json!({"resourceArn": arn("cluster/nope"), "tags": tags}),
        "ClusterNotFoundException",
        "Cluster not found.",
    )
    .await;
    let not_found = [
        arn("task-definition/web:2"),
        arn("task-definition/web"),
        arn("task-definition/web:x"),
        "arn:aws:ecs:us-east-1:111111111111:cluster/c".to_owned(),
        "arn:aws:ecs:eu-west-1:000000000000:cluster/c".to_owned(),
        "arn:aws:ec2:us-east-1:000000000000:instance/i-1".to_owned(),
        arn("capacity-provider/cp"),
        arn("service/c/web"),
        arn("task/c/0123"),
        arn("container-instance/c/0123"),
        arn("service/c/"),
        arn("task//0123"),
    ];
    for resource in not_found {
        h.refuses(
            "TagResource",
            json!({"resourceArn": resource, "tags": tags}),
            "ResourceNotFoundException",
            "The specified resource could not be found.",
        )
        .await;
    }
    // Resources inside a cluster are tagged by their long ARN only.
    for (resource, kind) in [
        (arn("service/web"), "service"),
        (arn("task/0123"), "task"),
        (arn("container-instance/0123"), "container-instance"),
    ] {
        h.rejects(
            "TagResource",
            json!({"resourceArn": resource, "tags": tags}),
            &format!(
                "is in the short format; tag the resource by its long ARN, {kind}/<cluster>/<name>."
            ),
        )
        .await;
    }
    for resource in [arn("service/nope/web"), arn("task/nope/0123")] {
        h.refuses(
            "TagResource",
            json!({"resourceArn": resource, "tags": tags}),
            "ClusterNotFoundException",
            "Cluster not found.",
        )
        .await;
    }
    assert_eq!(tags_of(&h, &arn("cluster/c")).await, json!([{"key": "team", "value": "core"}]));
}

#[tokio::test]
async fn tag_resource_refuses_invalid_tags_and_keeps_the_old_ones() {
    let h = tagged().await;
    let old = json!([{"key": "team", "value": "core"}]);
    for resource in [arn("cluster/c"), arn("task-definition/web:1")] {
        let cases = [
            (json!([{"key": "aws:x", "value": "v"}]), "reserved prefix aws:"),
            (json!([{"key": "k", "value": "<v>"}]), "contains the character '<'"),
            (
                json!([{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]),
                "given more than once",
            ),
            (json!([{"key": "", "value": "v"}]), "tags[0].key: it must have between 1 and 128"),
            (json!({"key": "k"}), "tags: expected a list"),
        ];
        for (tags, fragment) in cases {
            h.rejects("TagResource", json!({"resourceArn": resource, "tags": tags}), fragment)
                .await;
        }
        // Fifty tags fit, but not fifty new ones beside the one the resource has.
        let fifty: Vec<Value> =
            (0..50).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect();
        h.rejects(
            "TagResource",
            json!({"resourceArn": resource, "tags": fifty}),
            "The resource would have 51 tags; the limit is 50 per resource.",
        )
        .await;
        assert_eq!(tags_of(&h, &resource).await, old);
    }
}

#[tokio::test]
async fn tags_of_a_deleted_cluster_are_gone() {
    let h = tagged().await;
    h.call("DeleteCluster", json!({"cluster": "c"})).await.ok();
    let cluster = arn("cluster/c");
    h.refuses(
        "TagResource",
        json!({"resourceArn": cluster, "tags": [{"key": "k", "value": "v"}]}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    h.refuses(
        "UntagResource",
        json!({"resourceArn": cluster, "tagKeys": ["team"]}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    h.refuses(
        "ListTagsForResource",
        json!({"resourceArn": cluster}),
        "ClusterNotFoundException",
        "Cluster not found.",
    )
    .await;
}

#[tokio::test]
async fn untag_resource_refuses_unknown_resources() {
    let h = tagged().await;
    h.rejects(
        "UntagResource",
        json!({"resourceArn": arn("cluster/c")}),
        "Missing required parameter: tagKeys.",
    )
    .await;
    h.rejects(
        "UntagResource",
        json!({"tagKeys": ["team"]}),
        "Missing required parameter: resourceArn.",
    )
    .await;
    h.rejects(
        "UntagResource",
        json!({"resourceArn": arn("cluster/c"), "tagKeys": "team"}),
        "tagKeys: expected a list",
    )
    .await;
    h.rejects(
        "UntagResource",
        json!({"resourceArn": "web:1", "tagKeys": ["team"]}),
        "resourceArn must be an ARN",
    )
    .await;
    h.refuses(
        "UntagResource",
        json!({"resourceArn": arn("cluster/nope"), "tagKeys": ["team"]}),
        "ClusterNotFoundException",
        "Cluster not found.",
    )
    .await;
    h.refuses(
        "UntagResource",
        json!({"resourceArn": arn("task-definition/web:7"), "tagKeys": ["team"]}),
        "ResourceNotFoundException",
        "The specified resource could not be found.",
    )
    .await;
    // Keys the resource does not have are no error.
    h.call("UntagResource", json!({"resourceArn": arn("cluster/c"), "tagKeys": ["nope"]}))
        .await
        .ok();
    assert_eq!(tags_of(&h, &arn("cluster/c")).await, json!([{"key": "team", "value": "core"}]));
}

#[tokio::test]
async fn list_tags_for_resource_refuses_unknown_resources() {
    let h = tagged().await;
    h.rejects("ListTagsForResource", json!({}), "Missing required parameter: resourceArn.").await;
    h.rejects("ListTagsForResource", json!({"resourceArn": 1}), "resourceArn: expected a string")
        .await;
    h.rejects("ListTagsForResource", json!({"resourceArn": "c"}), "resourceArn must be an ARN")
        .await;
    h.rejects("ListTagsForResource", json!({"resourceArn": "arn:"}), "Invalid ARN").await;
    h.refuses(
        "ListTagsForResource",
        json!({"resourceArn": arn("cluster/nope")}),
        "ClusterNotFoundException",
        "",
    )
    .await;
    // ListTagsForResource has no ResourceNotFoundException in ECS's model.
    for resource in [
        arn("task-definition/db:1"),
        arn("service/c/web"),
        arn("task/c/0123"),
        arn("container-instance/c/0123"),
    ] {
        h.rejects(
            "ListTagsForResource",
            json!({"resourceArn": resource}),
            "The specified resource could not be found.",
        )
        .await;
    }
    h.rejects("ListTagsForResource", json!({"resourceArn": arn("task/0123")}), "short format")
        .await;
    assert_eq!(
        tags_of(&h, &arn("task-definition/web:1")).await,
        json!([{"key": "team", "value": "core"}])
    );
}

/// Cluster `c` tagged as [`tagged`] does, with an instance, a task of `web:1` and a service
/// `svc` (no tasks: the service scheduler does not run here). Returns the three ARNs.
async fn resources(h: &Harness) -> [String; 3] {
    let instance = h.register_instance("c").await;
    let task = h.run_task("c", "web:1").await;
    let service = h.create_service("c", "svc", "web:1", 0).await;
    [service, task, instance.arn]
}

#[tokio::test]
async fn services_tasks_and_instances_take_tags_by_their_arns() {
    let h = tagged().await;
    for resource in resources(&h).await {
        assert_eq!(tags_of(&h, &resource).await, json!([]), "{resource}");
        let body = json!({"resourceArn": resource,
            "tags": [{"key": "team", "value": "core"}, {"key": "tier", "value": "web"}]});
        h.call("TagResource", body).await.ok();
        let body = json!({"resourceArn": resource, "tags": [{"key": "tier", "value": "db"}]});
        h.call("TagResource", body).await.ok();
        assert_eq!(
            tags_of(&h, &resource).await,
            json!([{"key": "team", "value": "core"}, {"key": "tier", "value": "db"}]),
            "{resource}"
        );
        h.call("UntagResource", json!({"resourceArn": resource, "tagKeys": ["team", "nope"]}))
            .await
            .ok();
        assert_eq!(tags_of(&h, &resource).await, json!([{"key": "tier", "value": "db"}]));
    }
    // Describe shows them with include TAGS, and only then.
    let tier = json!([{"key": "tier", "value": "db"}]);
    assert_eq!(h.describe_service("c", "svc").await["tags"], tier);
    let service = h.call("DescribeServices", json!({"cluster": "c", "services": ["svc"]})).await;
    assert_eq!(service.ok()["services"][0].get("tags"), None);
}

#[tokio::test]
async fn tag_rules_hold_on_services_tasks_and_instances() {
    let h = tagged().await;
    for resource in resources(&h).await {
        h.call(
            "TagResource",
            json!({"resourceArn": resource, "tags": [{"key": "a", "value": "1"}]}),
        )
        .await
        .ok();
        h.rejects(
            "TagResource",
            json!({"resourceArn": resource, "tags": [{"key": "AWS:ecs:x", "value": "v"}]}),
            "reserved prefix aws:",
        )
        .await;
        h.rejects(
            "UntagResource",
            json!({"resourceArn": resource, "tagKeys": ["a", "aws:ecs:clusterName"]}),
            "Tag key \"aws:ecs:clusterName\" uses the reserved prefix aws:; such tags cannot be removed.",
        )
        .await;
        let fifty: Vec<Value> =
            (0..50).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect();
        h.rejects(
            "TagResource",
            json!({"resourceArn": resource, "tags": fifty}),
            "The resource would have 51 tags; the limit is 50 per resource.",
        )
        .await;
        assert_eq!(tags_of(&h, &resource).await, json!([{"key": "a", "value": "1"}]));
    }
}

#[tokio::test]
async fn the_tag_quota_follows_the_configuration() {
    let h = Harness::with_config(RawConfig {
        quotas: Some(Quotas { tags_per_resource: 2, ..Quotas::default() }),
        ..RawConfig::default()
    })
    .await;
    h.create_cluster("c").await;
    h.register_definition("web").await;
    let [service, task, instance] = resources(&h).await;
    for resource in [service, task, instance] {
        let two = json!([{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]);
        h.call("TagResource", json!({"resourceArn": resource, "tags": two})).await.ok();
        h.rejects(
            "TagResource",
            json!({"resourceArn": resource, "tags": [{"key": "c", "value": "3"}]}),
            "The resource would have 3 tags; the limit is 2 per resource.",
        )
        .await;
    }
}

#[tokio::test]
async fn managed_tags_do_not_count_and_cannot_be_removed() {
    let h = tagged().await;
    h.register_instance("c").await;
    let body = h
        .call(
            "RunTask",
            json!({"cluster": "c", "taskDefinition": "web:1",
            "enableECSManagedTags": true, "tags": [{"key": "own", "value": "1"}]}),
        )
        .await
        .ok();
    let task = body["tasks"][0]["taskArn"].as_str().unwrap().to_owned();
    let expected =
        json!([{"key": "own", "value": "1"}, {"key": "aws:ecs:clusterName", "value": "c"}]);
    assert_eq!(body["tasks"][0]["tags"], expected);
    assert_eq!(tags_of(&h, &task).await, expected);
    // 49 more make 50 of the user's own: the managed tag is beside them.
    let more: Vec<Value> = (0..49).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect();
    h.call("TagResource", json!({"resourceArn": task, "tags": more})).await.ok();
    assert_eq!(tags_of(&h, &task).await.as_array().unwrap().len(), 51);
    h.rejects(
        "TagResource",
        json!({"resourceArn": task, "tags": [{"key": "one-more", "value": "v"}]}),
        "would have 51 tags",
    )
    .await;
    h.rejects(
        "UntagResource",
        json!({"resourceArn": task, "tagKeys": ["aws:ecs:clusterName"]}),
        "cannot be removed",
    )
    .await;
}

/// The tags of the task a RunTask call started.
async fn tags_of_run(h: &Harness, body: Value) -> Value {
    let body = h.call("RunTask", body).await.ok();
    body["tasks"][0]["tags"].clone()
}

#[tokio::test]
async fn run_task_propagates_and_manages_tags_as_asked() {
    let h = tagged().await;
    h.register_instance("c").await;
    let run = |extra: Value| {
        let mut body = json!({"cluster": "c", "taskDefinition": "web:1"});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    assert_eq!(tags_of_run(&h, run(json!({}))).await, json!([]));
    assert_eq!(tags_of_run(&h, run(json!({"propagateTags": "NONE"}))).await, json!([]));
    assert_eq!(
        tags_of_run(&h, run(json!({"propagateTags": "TASK_DEFINITION"}))).await,
        json!([{"key": "team", "value": "core"}])
    );
    // The caller's own value wins over the definition's.
    assert_eq!(
        tags_of_run(
            &h,
            run(json!({"propagateTags": "TASK_DEFINITION",
            "tags": [{"key": "team", "value": "mine"}, {"key": "job", "value": "1"}],
            "enableECSManagedTags": true}))
        )
        .await,
        json!([{"key": "team", "value": "mine"}, {"key": "job", "value": "1"},
            {"key": "aws:ecs:clusterName", "value": "c"}])
    );
    h.rejects(
        "RunTask",
        run(json!({"propagateTags": "SERVICE"})),
        "propagateTags SERVICE is only valid for the tasks of a service",
    )
    .await;
    // Fifty of the caller's and one from the definition are over the quota.
    let fifty: Vec<Value> =
        (0..50).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect();
    h.rejects(
        "RunTask",
        run(json!({"propagateTags": "TASK_DEFINITION", "tags": fifty})),
        "The task would have 51 tags with the propagated ones; the limit is 50 per resource.",
    )
    .await;
    let instance = h.register_instance("c").await;
    let start = json!({"cluster": "c", "taskDefinition": "web:1",
        "containerInstances": [instance.arn.clone()], "propagateTags": "SERVICE"});
    h.rejects("StartTask", start, "propagateTags SERVICE is only valid").await;
    let start = json!({"cluster": "c", "taskDefinition": "web:1",
        "containerInstances": [instance.arn], "propagateTags": "TASK_DEFINITION",
        "enableECSManagedTags": true});
    let body = h.call("StartTask", start).await.ok();
    assert_eq!(
        body["tasks"][0]["tags"],
        json!([{"key": "team", "value": "core"}, {"key": "aws:ecs:clusterName", "value": "c"}])
    );
}

#[tokio::test]
async fn update_service_changes_how_tasks_are_tagged_without_a_deployment() {
    let h = tagged().await;
    let body = json!({"cluster": "c", "serviceName": "svc", "taskDefinition": "web:1",
        "desiredCount": 0, "tags": [{"key": "app", "value": "svc"}]});
    let created = h.call("CreateService", body).await.ok()["service"].clone();
    assert_eq!(created["propagateTags"], "NONE");
    assert_eq!(created["enableECSManagedTags"], false);
    assert_eq!(created["tags"], json!([{"key": "app", "value": "svc"}]));
    let body = json!({"cluster": "c", "service": "svc", "propagateTags": "SERVICE",
        "enableECSManagedTags": true});
    let updated = h.call("UpdateService", body).await.ok()["service"].clone();
    assert_eq!(updated["propagateTags"], "SERVICE");
    assert_eq!(updated["enableECSManagedTags"], true);
    assert_eq!(updated["deployments"].as_array().unwrap().len(), 1, "no new deployment");
    assert_eq!(updated["deployments"][0]["id"], created["deployments"][0]["id"]);
    h.rejects(
        "UpdateService",
        json!({"cluster": "c", "service": "svc", "propagateTags": "CLUSTER"}),
        "Invalid value \"CLUSTER\" for parameter propagateTags",
    )
    .await;
}

#[tokio::test]
async fn a_deregistered_instance_has_no_tags_to_change() {
    let h = tagged().await;
    let instance = h.register_instance("c").await;
    h.call(
        "DeregisterContainerInstance",
        json!({"cluster": "c", "containerInstance": instance.id}),
    )
    .await
    .ok();
    h.refuses(
        "TagResource",
        json!({"resourceArn": instance.arn, "tags": [{"key": "k", "value": "v"}]}),
        "ResourceNotFoundException",
        "",
    )
    .await;
    h.rejects("ListTagsForResource", json!({"resourceArn": instance.arn}), "could not be found")
        .await;
}
