//! TagResource, UntagResource and ListTagsForResource.

use serde_json::{Value, json};

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
        // Services, tasks and container instances take tags when created, not through
        // TagResource.
        arn("service/c/web"),
        arn("task/c/0123"),
        arn("container-instance/c/0123"),
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
    // ListTagsForResource's model has no ResourceNotFoundException (TagResource's and
    // UntagResource's have): a resource it cannot find is a ClientException.
    for resource in [arn("task-definition/db:1"), arn("service/c/web")] {
        h.refuses(
            "ListTagsForResource",
            json!({"resourceArn": resource}),
            "ClientException",
            "The specified resource could not be found.",
        )
        .await;
    }
    assert_eq!(
        tags_of(&h, &arn("task-definition/web:1")).await,
        json!([{"key": "team", "value": "core"}])
    );
}
