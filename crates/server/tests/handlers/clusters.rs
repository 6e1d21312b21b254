//! CreateCluster, DeleteCluster, DescribeClusters, ListClusters, UpdateCluster and
//! UpdateClusterSettings.

use serde_json::{Value, json};

use server::config::{Quotas, RawConfig};

use crate::harness::{Harness, arn};

const NAME_RULE: &str = "Cluster name can contain up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.";

#[tokio::test]
async fn create_cluster_refuses_invalid_names() {
    let h = Harness::new().await;
    for name in ["", "bad name", "a/b", "ünï", "a:b", &"x".repeat(256)] {
        h.rejects("CreateCluster", json!({"clusterName": name}), NAME_RULE).await;
    }
    h.rejects("CreateCluster", json!({"clusterName": 7}), "clusterName: expected a string").await;
    // 255 characters is the longest name.
    h.create_cluster(&"x".repeat(255)).await;
    let listed = h.call("ListClusters", json!({})).await.ok();
    assert_eq!(listed["clusterArns"], json!([arn(&format!("cluster/{}", "x".repeat(255)))]));
}

#[tokio::test]
async fn create_cluster_refuses_invalid_tags() {
    let h = Harness::new().await;
    let cases = [
        (json!([{"key": "aws:owner", "value": "me"}]), "reserved prefix aws:"),
        (json!([{"key": "AWS:owner", "value": "me"}]), "reserved prefix aws:"),
        // The model bounds keys and values; a missing key is the handler's to refuse.
        (json!([{"key": "", "value": "v"}]), "tags[0].key: it must have between 1 and 128"),
        (json!([{"key": "k".repeat(129), "value": "v"}]), "tags[0].key: it must have between"),
        (json!([{"value": "v"}]), "Tag keys must be between 1 and 128 characters; got \"\"."),
        (
            json!([{"key": "k", "value": "v".repeat(257)}]),
            "tags[0].value: it must have between 0 and 256",
        ),
        (json!([{"key": "k", "value": "a;b"}]), "contains the character ';'"),
        (json!([{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]), "given more than once"),
        (json!([{"key": 1, "value": "v"}]), "tags[0].key: expected a string"),
    ];
    for (tags, fragment) in cases {
        h.rejects("CreateCluster", json!({"clusterName": "c", "tags": tags}), fragment).await;
    }
    let listed = h.call("ListClusters", json!({})).await.ok();
    assert_eq!(listed["clusterArns"], json!([]));
}

#[tokio::test]
async fn create_cluster_refuses_invalid_settings_and_capacity_providers() {
    let h = Harness::new().await;
    h.rejects(
        "CreateCluster",
        json!({"clusterName": "c", "settings": [{"name": "containerInsights", "value": "on"}]}),
        "The value of cluster setting containerInsights must be enabled, disabled or enhanced; got \"on\".",
    )
    .await;
    h.rejects(
        "CreateCluster",
        json!({"clusterName": "c", "settings": [{"name": "containerInsights"}]}),
        "got \"\"",
    )
    .await;
    h.rejects(
        "CreateCluster",
        json!({"clusterName": "c", "settings": [{"name": "insights", "value": "enabled"}]}),
        "Invalid value \"insights\" for parameter settings[0].name: valid values are containerInsights.",
    )
    .await;
    h.rejects(
        "CreateCluster",
        json!({"clusterName": "c", "capacityProviders": ["EC2_SPOT"]}),
        "The specified capacity provider EC2_SPOT does not exist. Create it with CreateCapacityProvider, or use FARGATE or FARGATE_SPOT.",
    )
    .await;
    h.rejects(
        "CreateCluster",
        json!({"clusterName": "c", "capacityProviders": ["FARGATE"],
            "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}),
        "The capacity provider FARGATE_SPOT in the default strategy is not associated with the cluster.",
    )
    .await;
    h.rejects(
        "CreateCluster",
        json!({"clusterName": "c", "defaultCapacityProviderStrategy": [{"weight": 1}]}),
        "Missing required parameter: defaultCapacityProviderStrategy[0].capacityProvider.",
    )
    .await;
    h.rejects(
        "CreateCluster",
        json!({"clusterName": "c", "capacityProviders": ["FARGATE"],
            "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 100001}]}),
        "defaultCapacityProviderStrategy[0].base: it must be between 0 and 100000.",
    )
    .await;
    h.rejects(
        "CreateCluster",
        json!({"clusterName": "c", "serviceConnectDefaults": {}}),
        "Missing required parameter: serviceConnectDefaults.namespace.",
    )
    .await;
    let described = h.call("DescribeClusters", json!({"clusters": ["c"]})).await.ok();
    assert_eq!(described["clusters"], json!([]));
    assert_eq!(described["failures"][0]["reason"], "MISSING");
}

#[tokio::test]
async fn create_cluster_is_idempotent_and_counts_against_the_quota() {
    let h = Harness::with_config(RawConfig {
        quotas: Some(Quotas { clusters: 2, ..Quotas::default() }),
        ..RawConfig::default()
    })
    .await;
    let first = h.create_cluster("a").await;
    h.create_cluster("b").await;
    // The same name again is the same cluster, not a third one; its tags and settings stay.
    let again = h
        .call("CreateCluster", json!({"clusterName": "a", "tags": [{"key": "k", "value": "v"}]}))
        .await
        .ok();
    assert_eq!(again["cluster"]["clusterArn"], first["clusterArn"]);
    assert_eq!(again["cluster"]["tags"], json!([]));
    // CreateCluster's model has no LimitExceededException: a quota is a ClientException.
    h.refuses(
        "CreateCluster",
        json!({"clusterName": "c"}),
        "ClientException",
        "The account has reached its limit of 2 clusters.",
    )
    .await;
    // A deleted cluster frees its place.
    h.call("DeleteCluster", json!({"cluster": "b"})).await.ok();
    h.create_cluster("c").await;
    let listed = h.call("ListClusters", json!({})).await.ok();
    assert_eq!(listed["clusterArns"], json!([arn("cluster/a"), arn("cluster/c")]));
}

#[tokio::test]
async fn delete_cluster_needs_an_existing_active_cluster() {
    let h = Harness::new().await;
    h.rejects("DeleteCluster", json!({}), "Missing required parameter: cluster.").await;
    h.rejects("DeleteCluster", json!({"cluster": ["c"]}), "cluster: expected a string").await;
    h.refuses(
        "DeleteCluster",
        json!({"cluster": "nope"}),
        "ClusterNotFoundException",
        "Cluster not found.",
    )
    .await;
    // The default cluster is not implied.
    h.refuses("DeleteCluster", json!({"cluster": "default"}), "ClusterNotFoundException", "").await;
    h.create_cluster("c").await;
    // ARNs of other regions or accounts name nothing here.
    for other in [
        "arn:aws:ecs:eu-west-1:000000000000:cluster/c",
        "arn:aws:ecs:us-east-1:111111111111:cluster/c",
    ] {
        h.refuses("DeleteCluster", json!({"cluster": other}), "ClusterNotFoundException", "").await;
    }
    // An ARN of something else, or no ARN at all, is invalid.
    h.rejects("DeleteCluster", json!({"cluster": arn("service/c/web")}), "is not a cluster ARN")
        .await;
    h.rejects("DeleteCluster", json!({"cluster": "arn:nonsense"}), "Invalid ARN: arn:nonsense")
        .await;
    h.call("DeleteCluster", json!({"cluster": arn("cluster/c")})).await.ok();
    // A deleted cluster is not found again, and stays describable as INACTIVE.
    h.refuses(
        "DeleteCluster",
        json!({"cluster": "c"}),
        "ClusterNotFoundException",
        "Cluster not found.",
    )
    .await;
    assert_eq!(h.describe_cluster("c").await["status"], "INACTIVE");
}

#[tokio::test]
async fn delete_cluster_refuses_while_the_cluster_holds_something() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let definition = h.register_definition("web").await;
    let instance = h.register_instance("c").await;
    h.refuses(
        "DeleteCluster",
        json!({"cluster": "c"}),
        "ClusterContainsContainerInstancesException",
        "The Cluster cannot be deleted while Container Instances are active or draining.",
    )
    .await;
    // A draining instance still counts.
    h.call(
        "UpdateContainerInstancesState",
        json!({"cluster": "c", "containerInstances": [instance.id], "status": "DRAINING"}),
    )
    .await
    .ok();
    h.refuses(
        "DeleteCluster",
        json!({"cluster": "c"}),
        "ClusterContainsContainerInstancesException",
        "",
    )
    .await;
    h.call(
        "UpdateContainerInstancesState",
        json!({"cluster": "c", "containerInstances": [instance.id], "status": "ACTIVE"}),
    )
    .await
    .ok();
    let task = h.run_task("c", &definition).await;
    // Deregistered by force, the instance leaves its task behind (still PROVISIONING: it never
    // reached the agent).
    h.call(
        "DeregisterContainerInstance",
        json!({"cluster": "c", "containerInstance": instance.arn, "force": true}),
    )
    .await
    .ok();
    h.refuses(
        "DeleteCluster",
        json!({"cluster": "c"}),
        "ClusterContainsTasksException",
        "The Cluster cannot be deleted while Tasks are active.",
    )
    .await;
    h.call("StopTask", json!({"cluster": "c", "task": task})).await.ok();
    h.create_service("c", "web", &definition, 0).await;
    h.refuses(
        "DeleteCluster",
        json!({"cluster": "c"}),
        "ClusterContainsServicesException",
        "The Cluster cannot be deleted while Services are active.",
    )
    .await;
    // A deleted (DRAINING) service still counts.
    h.call("DeleteService", json!({"cluster": "c", "service": "web"})).await.ok();
    h.refuses("DeleteCluster", json!({"cluster": "c"}), "ClusterContainsServicesException", "")
        .await;
    let cluster = h.describe_cluster("c").await;
    assert_eq!(cluster["status"], "ACTIVE");
    assert_eq!(cluster["registeredContainerInstancesCount"], 0);
    assert_eq!(cluster["pendingTasksCount"], 0);
}

#[tokio::test]
async fn describe_clusters_reports_missing_clusters_as_failures() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let too_many: Vec<String> = (0..101).map(|i| format!("c{i}")).collect();
    h.rejects(
        "DescribeClusters",
        json!({"clusters": too_many}),
        "DescribeClusters accepts at most 100 clusters per call.",
    )
    .await;
    h.rejects(
        "DescribeClusters",
        json!({"include": ["EVERYTHING"]}),
        "Invalid value \"EVERYTHING\" for parameter include[0]: valid values are ATTACHMENTS, CONFIGURATIONS, SETTINGS, STATISTICS, TAGS.",
    )
    .await;
    h.rejects("DescribeClusters", json!({"clusters": ["c", "arn:x"]}), "Invalid ARN: arn:x").await;
    h.rejects("DescribeClusters", json!({"clusters": [arn("task/c/1")]}), "is not a cluster ARN")
        .await;
    let other_region = "arn:aws:ecs:eu-west-1:000000000000:cluster/c";
    let described =
        h.call("DescribeClusters", json!({"clusters": ["c", "nope", other_region]})).await.ok();
    assert_eq!(described["clusters"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        described["failures"],
        json!([
            {"arn": arn("cluster/nope"), "reason": "MISSING"},
            {"arn": other_region, "reason": "MISSING"}
        ])
    );
    // Without `clusters`, the default cluster is described; here it does not exist.
    let described = h.call("DescribeClusters", json!({})).await.ok();
    assert_eq!(
        described["failures"],
        json!([{"arn": arn("cluster/default"), "reason": "MISSING"}])
    );
}

#[tokio::test]
async fn list_clusters_checks_page_size_and_token() {
    let h = Harness::new().await;
    for name in ["a", "b", "c"] {
        h.create_cluster(name).await;
    }
    for bad in [0, -1, 101] {
        h.rejects(
            "ListClusters",
            json!({"maxResults": bad}),
            &format!("maxResults must be between 1 and 100; got {bad}."),
        )
        .await;
    }
    // A token that was never issued, or was issued by another listing, is refused.
    h.register_definition("f1").await;
    h.register_definition("f2").await;
    let other = h.call("ListTaskDefinitionFamilies", json!({"maxResults": 1})).await.ok();
    let other_token = other["nextToken"].as_str().expect("a second page").to_owned();
    for token in ["!!!", "bm90IGEgdG9rZW4", other_token.as_str()] {
        h.rejects("ListClusters", json!({"nextToken": token}), "The nextToken is invalid.").await;
    }
    // An empty token is no token.
    let listed = h.call("ListClusters", json!({"nextToken": "", "maxResults": 2})).await.ok();
    assert_eq!(listed["clusterArns"], json!([arn("cluster/a"), arn("cluster/b")]));
    let token = listed["nextToken"].as_str().unwrap();
    let rest = h.call("ListClusters", json!({"nextToken": token})).await.ok();
    assert_eq!(rest, json!({"clusterArns": [arn("cluster/c")]}));
}

#[tokio::test]
async fn update_cluster_refuses_and_keeps_the_cluster_as_it_was() {
    let h = Harness::new().await;
    h.call(
        "CreateCluster",
        json!({"clusterName": "c", "settings": [{"name": "containerInsights", "value": "enabled"}],
            "configuration": {"executeCommandConfiguration": {"logging": "NONE"}}}),
    )
    .await
    .ok();
    let before = h.describe_cluster("c").await;
    h.rejects("UpdateCluster", json!({}), "Missing required parameter: cluster.").await;
    h.refuses(
        "UpdateCluster",
        json!({"cluster": "nope"}),
        "ClusterNotFoundException",
        "Cluster not found.",
    )
    .await;
    // The settings are checked before the cluster is looked up.
    h.rejects(
        "UpdateCluster",
        json!({"cluster": "nope", "settings": [{"name": "containerInsights", "value": "maybe"}]}),
        "must be enabled, disabled or enhanced; got \"maybe\".",
    )
    .await;
    h.rejects(
        "UpdateCluster",
        json!({"cluster": "c", "settings": [{"name": "containerInsights", "value": "maybe"}],
            "configuration": {"executeCommandConfiguration": {"logging": "DEFAULT"}}}),
        "got \"maybe\"",
    )
    .await;
    h.rejects(
        "UpdateCluster",
        json!({"cluster": "c", "configuration": {"executeCommandConfiguration": {"logging": "LOUD"}}}),
        "Invalid value \"LOUD\" for parameter configuration.executeCommandConfiguration.logging",
    )
    .await;
    h.rejects(
        "UpdateCluster",
        json!({"cluster": "c", "serviceConnectDefaults": {"namespace": 1}}),
        "serviceConnectDefaults.namespace: expected a string",
    )
    .await;
    assert_eq!(h.describe_cluster("c").await, before);
    h.call("DeleteCluster", json!({"cluster": "c"})).await.ok();
    h.refuses(
        "UpdateCluster",
        json!({"cluster": "c", "settings": [{"name": "containerInsights", "value": "disabled"}]}),
        "ClusterNotFoundException",
        "Cluster not found.",
    )
    .await;
}

#[tokio::test]
async fn update_cluster_settings_refuses_and_keeps_the_settings() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    let settings = |cluster: Value| cluster["settings"].clone();
    let before = settings(h.describe_cluster("c").await);
    assert_eq!(before, json!([{"name": "containerInsights", "value": "disabled"}]));
    h.rejects(
        "UpdateClusterSettings",
        json!({"cluster": "c"}),
        "Missing required parameter: settings.",
    )
    .await;
    h.rejects(
        "UpdateClusterSettings",
        json!({"settings": []}),
        "Missing required parameter: cluster.",
    )
    .await;
    h.rejects(
        "UpdateClusterSettings",
        json!({"cluster": "c", "settings": {"containerInsights": "enabled"}}),
        "settings: expected a list, got an object",
    )
    .await;
    h.rejects(
        "UpdateClusterSettings",
        json!({"cluster": "c", "settings": [{"name": "containerInsights", "value": "ENABLED"}]}),
        "got \"ENABLED\"",
    )
    .await;
    h.rejects(
        "UpdateClusterSettings",
        json!({"cluster": "c", "settings": [{"name": "containerInsights", "value": "enabled"},
            {"name": "containerInsights", "value": "on"}]}),
        "got \"on\"",
    )
    .await;
    h.refuses(
        "UpdateClusterSettings",
        json!({"cluster": "nope", "settings": [{"name": "containerInsights", "value": "enabled"}]}),
        "ClusterNotFoundException",
        "Cluster not found.",
    )
    .await;
    assert_eq!(settings(h.describe_cluster("c").await), before);
}
