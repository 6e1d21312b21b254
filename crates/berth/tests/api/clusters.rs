//! Clusters through aws-sdk-ecs: lifecycle, idempotency, describe with include and
//! failures, list pagination, updates, quotas and name rules.

use aws_sdk_ecs::types::{ClusterField, ClusterSetting, ClusterSettingName, Tag};

use crate::common::{Server, code, message};

#[tokio::test]
async fn cluster_lifecycle() {
    let server = Server::start();
    let ecs = server.ecs();

    let created = ecs.create_cluster().cluster_name("prod").send().await.unwrap();
    let cluster = created.cluster().unwrap();
    assert_eq!(cluster.cluster_name(), Some("prod"));
    assert_eq!(cluster.cluster_arn(), Some("arn:aws:ecs:us-east-1:000000000000:cluster/prod"));
    assert_eq!(cluster.status(), Some("ACTIVE"));
    assert_eq!(cluster.running_tasks_count(), 0);
    assert_eq!(cluster.pending_tasks_count(), 0);
    assert_eq!(cluster.active_services_count(), 0);
    assert_eq!(cluster.registered_container_instances_count(), 0);

    // CreateCluster is idempotent on the name.
    let again = ecs.create_cluster().cluster_name("prod").send().await.unwrap();
    assert_eq!(again.cluster().unwrap().cluster_arn(), cluster.cluster_arn());
    let listed = ecs.list_clusters().send().await.unwrap();
    assert_eq!(listed.cluster_arns(), [cluster.cluster_arn().unwrap()]);

    let deleted = ecs.delete_cluster().cluster("prod").send().await.unwrap();
    assert_eq!(deleted.cluster().unwrap().status(), Some("INACTIVE"));
    assert!(ecs.list_clusters().send().await.unwrap().cluster_arns().is_empty());
    // A deleted cluster stays describable, as INACTIVE.
    let described = ecs.describe_clusters().clusters("prod").send().await.unwrap();
    assert_eq!(described.clusters()[0].status(), Some("INACTIVE"));

    let err = ecs.delete_cluster().cluster("prod").send().await.unwrap_err();
    assert_eq!(code(&err), "ClusterNotFoundException");
    let err = ecs
        .update_cluster_settings()
        .cluster("prod")
        .settings(
            ClusterSetting::builder()
                .name(ClusterSettingName::ContainerInsights)
                .value("enabled")
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ClusterNotFoundException");

    // The name can be used again.
    let recreated = ecs.create_cluster().cluster_name("prod").send().await.unwrap();
    assert_eq!(recreated.cluster().unwrap().status(), Some("ACTIVE"));
}

#[tokio::test]
async fn default_cluster_when_none_is_named() {
    let server = Server::start();
    let ecs = server.ecs();
    let described = ecs.describe_clusters().send().await.unwrap();
    assert!(described.clusters().is_empty());
    assert_eq!(
        described.failures()[0].arn(),
        Some("arn:aws:ecs:us-east-1:000000000000:cluster/default")
    );
    assert_eq!(described.failures()[0].reason(), Some("MISSING"));
    let created = ecs.create_cluster().send().await.unwrap();
    assert_eq!(created.cluster().unwrap().cluster_name(), Some("default"));
    let described = ecs.describe_clusters().send().await.unwrap();
    assert_eq!(described.clusters()[0].cluster_name(), Some("default"));
}

#[tokio::test]
async fn describe_clusters_include_and_failures() {
    let server = Server::start();
    let ecs = server.ecs();
    let arn = ecs
        .create_cluster()
        .cluster_name("tagged")
        .tags(Tag::builder().key("team").value("core").build())
        .settings(
            ClusterSetting::builder()
                .name(ClusterSettingName::ContainerInsights)
                .value("enabled")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .cluster()
        .unwrap()
        .cluster_arn()
        .unwrap()
        .to_owned();

    let plain = ecs.describe_clusters().clusters("tagged").send().await.unwrap();
    let c = &plain.clusters()[0];
    assert!(c.tags().is_empty(), "tags only with include TAGS");
    assert!(c.settings().is_empty(), "settings only with include SETTINGS");

    let full = ecs
        .describe_clusters()
        .clusters(&arn)
        .clusters("missing")
        .clusters("arn:aws:ecs:us-east-1:000000000000:cluster/gone")
        .include(ClusterField::Tags)
        .include(ClusterField::Settings)
        .include(ClusterField::Statistics)
        .send()
        .await
        .unwrap();
    let c = &full.clusters()[0];
    assert_eq!(c.tags()[0].key(), Some("team"));
    assert_eq!(c.settings()[0].value(), Some("enabled"));
    assert!(c.statistics().iter().any(|s| s.name() == Some("runningFargateTasksCount")));
    let failures: Vec<_> =
        full.failures().iter().map(|f| (f.arn().unwrap(), f.reason().unwrap())).collect();
    assert_eq!(
        failures,
        [
            ("arn:aws:ecs:us-east-1:000000000000:cluster/missing", "MISSING"),
            ("arn:aws:ecs:us-east-1:000000000000:cluster/gone", "MISSING"),
        ]
    );

    let many: Vec<String> = (0..101).map(|i| format!("c{i}")).collect();
    let err = ecs.describe_clusters().set_clusters(Some(many)).send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

#[tokio::test]
async fn list_clusters_pages() {
    let server = Server::start();
    let ecs = server.ecs();
    let mut expected = Vec::new();
    for i in 0..7 {
        let name = format!("c{i}");
        ecs.create_cluster().cluster_name(&name).send().await.unwrap();
        expected.push(format!("arn:aws:ecs:us-east-1:000000000000:cluster/{name}"));
    }
    let mut seen = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let page = ecs.list_clusters().max_results(3).set_next_token(token).send().await.unwrap();
        assert!(page.cluster_arns().len() <= 3);
        seen.extend(page.cluster_arns().iter().cloned());
        pages += 1;
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, expected);

    for bad in [0, 101] {
        let err = ecs.list_clusters().max_results(bad).send().await.unwrap_err();
        assert_eq!(code(&err), "InvalidParameterException", "maxResults {bad}");
        assert!(message(&err).contains("maxResults"));
    }
    let err = ecs.list_clusters().next_token("bogus").send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

#[tokio::test]
async fn update_cluster_and_settings() {
    let server = Server::start();
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("u").send().await.unwrap();
    let updated = ecs
        .update_cluster_settings()
        .cluster("u")
        .settings(
            ClusterSetting::builder()
                .name(ClusterSettingName::ContainerInsights)
                .value("enhanced")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let settings = updated.cluster().unwrap().settings();
    assert_eq!(settings.len(), 1);
    assert_eq!(settings[0].value(), Some("enhanced"));

    let bad = ecs
        .update_cluster_settings()
        .cluster("u")
        .settings(
            ClusterSetting::builder()
                .name(ClusterSettingName::ContainerInsights)
                .value("sometimes")
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad), "InvalidParameterException");

    let configured = ecs
        .update_cluster()
        .cluster("u")
        .configuration(
            aws_sdk_ecs::types::ClusterConfiguration::builder()
                .execute_command_configuration(
                    aws_sdk_ecs::types::ExecuteCommandConfiguration::builder()
                        .logging(aws_sdk_ecs::types::ExecuteCommandLogging::Default)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let cluster = configured.cluster().unwrap();
    assert!(cluster.configuration().unwrap().execute_command_configuration().is_some());
    let described = ecs
        .describe_clusters()
        .clusters("u")
        .include(ClusterField::Configurations)
        .include(ClusterField::Settings)
        .send()
        .await
        .unwrap();
    assert_eq!(described.clusters()[0].settings()[0].value(), Some("enhanced"));
    assert!(described.clusters()[0].configuration().is_some());

    let err = ecs.update_cluster().cluster("nope").send().await.unwrap_err();
    assert_eq!(code(&err), "ClusterNotFoundException");
}

#[tokio::test]
async fn bad_cluster_names_create_nothing() {
    let server = Server::start();
    let ecs = server.ecs();
    for name in ["has space", "slash/y", &"x".repeat(256)] {
        let err = ecs.create_cluster().cluster_name(name).send().await.unwrap_err();
        assert_eq!(code(&err), "InvalidParameterException", "{name}");
    }
    let err = ecs
        .create_cluster()
        .cluster_name("ok")
        .tags(Tag::builder().key("aws:reserved").value("v").build())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = ecs
        .create_cluster()
        .cluster_name("ok2")
        .capacity_providers("MY_ASG")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    assert!(ecs.list_clusters().send().await.unwrap().cluster_arns().is_empty());
}

#[tokio::test]
async fn cluster_quota_is_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("berth.toml");
    std::fs::write(&config, "[quotas]\nclusters = 2\n").unwrap();
    let server = Server::start_with_config(&config);
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("a").send().await.unwrap();
    ecs.create_cluster().cluster_name("b").send().await.unwrap();
    // Re-creating an existing cluster is not a new cluster.
    ecs.create_cluster().cluster_name("b").send().await.unwrap();
    let err = ecs.create_cluster().cluster_name("c").send().await.unwrap_err();
    // CreateCluster's model has no LimitExceededException: a quota is a ClientException.
    assert_eq!(code(&err), "ClientException");
    assert_eq!(ecs.list_clusters().send().await.unwrap().cluster_arns().len(), 2);
    ecs.delete_cluster().cluster("a").send().await.unwrap();
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
}
