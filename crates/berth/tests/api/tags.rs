//! Tags through aws-sdk-ecs: TagResource, UntagResource and ListTagsForResource on every
//! taggable resource (clusters, task definitions, services, tasks, container instances,
//! capacity providers), tags
//! given when a resource is created and shown by Describe with `include: TAGS`, and the tags
//! new tasks get (`propagateTags`, `enableECSManagedTags`) from RunTask and from services, with
//! node agents in the test process on the SIMULATED runtime.

use aws_sdk_ecs::types::{
    ContainerDefinition, ContainerInstanceField, PropagateTags, ServiceField, Tag, TaskField,
};
use serde_json::json;

use crate::common::{Server, SimAgent, code, eventually, message};

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

async fn tags_of(ecs: &aws_sdk_ecs::Client, arn: &str) -> Vec<(String, String)> {
    let mut tags: Vec<_> = ecs
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .unwrap()
        .tags()
        .iter()
        .map(|t| (t.key().unwrap().to_owned(), t.value().unwrap().to_owned()))
        .collect();
    tags.sort();
    tags
}

#[tokio::test]
async fn tag_untag_list_on_clusters_and_task_definitions() {
    let server = Server::start();
    let ecs = server.ecs();
    let cluster = ecs
        .create_cluster()
        .cluster_name("t")
        .tags(tag("a", "1"))
        .send()
        .await
        .unwrap()
        .cluster()
        .unwrap()
        .cluster_arn()
        .unwrap()
        .to_owned();
    let td = ecs
        .register_task_definition()
        .family("t")
        .container_definitions(
            ContainerDefinition::builder().name("c").image("busybox").memory(32).build(),
        )
        .send()
        .await
        .unwrap()
        .task_definition()
        .unwrap()
        .task_definition_arn()
        .unwrap()
        .to_owned();

    for arn in [&cluster, &td] {
        ecs.tag_resource()
            .resource_arn(arn)
            .tags(tag("b", "2"))
            .tags(tag("a", "3"))
            .send()
            .await
            .unwrap();
        assert_eq!(tags_of(&ecs, arn).await, [("a".into(), "3".into()), ("b".into(), "2".into())]);
        ecs.untag_resource().resource_arn(arn).tag_keys("a").tag_keys("zzz").send().await.unwrap();
        assert_eq!(tags_of(&ecs, arn).await, [("b".to_owned(), "2".to_owned())]);

        let err =
            ecs.tag_resource().resource_arn(arn).tags(tag("aws:x", "1")).send().await.unwrap_err();
        assert_eq!(code(&err), "InvalidParameterException");
        let mut request = ecs.tag_resource().resource_arn(arn);
        for i in 0..50 {
            request = request.tags(tag(&format!("k{i}"), "v"));
        }
        let err = request.send().await.unwrap_err();
        assert_eq!(code(&err), "InvalidParameterException", "51 tags in all");
        assert_eq!(tags_of(&ecs, arn).await.len(), 1, "a refused TagResource changes nothing");
    }

    let err = ecs
        .list_tags_for_resource()
        .resource_arn("arn:aws:ecs:us-east-1:000000000000:cluster/missing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ClusterNotFoundException");
    let err = ecs
        .tag_resource()
        .resource_arn("arn:aws:ecs:us-east-1:000000000000:task-definition/t:9")
        .tags(tag("x", "y"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
    let err = ecs.list_tags_for_resource().resource_arn("not-an-arn").send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

fn pairs(tags: &[Tag]) -> Vec<(String, String)> {
    let mut pairs: Vec<_> = tags
        .iter()
        .map(|t| (t.key().unwrap_or("").to_owned(), t.value().unwrap_or("").to_owned()))
        .collect();
    pairs.sort();
    pairs
}

fn expect(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<_> = list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    pairs.sort();
    pairs
}

/// Cluster `c` with an agent on the simulated runtime and the definition `web:1`, tagged
/// `app=web`.
async fn cluster_with_agent(server: &Server) -> (aws_sdk_ecs::Client, SimAgent) {
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    ecs.register_task_definition()
        .family("web")
        .container_definitions(
            ContainerDefinition::builder()
                .name("web")
                .image("berth-test/busybox:1")
                .memory(64)
                .command("httpd")
                .build(),
        )
        .tags(tag("app", "web"))
        .send()
        .await
        .unwrap();
    let agent = SimAgent::start(server, "c", "zone-a");
    eventually(10, "the instance to register", || async {
        let out = ecs.list_container_instances().cluster("c").send().await.unwrap();
        (!out.container_instance_arns().is_empty()).then_some(())
    })
    .await;
    (ecs, agent)
}

/// The tags DescribeServices, DescribeTasks or DescribeContainerInstances shows for one
/// resource, with and without `include: TAGS`.
async fn described(ecs: &aws_sdk_ecs::Client, arn: &str) -> (Vec<Tag>, Vec<Tag>) {
    if arn.contains(":service/") {
        let with = ecs.describe_services().cluster("c").services(arn).include(ServiceField::Tags);
        let with = with.send().await.unwrap().services()[0].tags().to_vec();
        let without = ecs.describe_services().cluster("c").services(arn).send().await.unwrap();
        (with, without.services()[0].tags().to_vec())
    } else if arn.contains(":task/") {
        let with = ecs.describe_tasks().cluster("c").tasks(arn).include(TaskField::Tags);
        let with = with.send().await.unwrap().tasks()[0].tags().to_vec();
        let without = ecs.describe_tasks().cluster("c").tasks(arn).send().await.unwrap();
        (with, without.tasks()[0].tags().to_vec())
    } else {
        let describe = || ecs.describe_container_instances().cluster("c").container_instances(arn);
        let with = describe().include(ContainerInstanceField::Tags).send().await.unwrap();
        let without = describe().send().await.unwrap();
        (
            with.container_instances()[0].tags().to_vec(),
            without.container_instances()[0].tags().to_vec(),
        )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_tasks_and_container_instances_keep_their_tags() {
    let server = Server::start();
    let (ecs, _agent) = cluster_with_agent(&server).await;
    let service = ecs
        .create_service()
        .cluster("c")
        .service_name("svc")
        .task_definition("web")
        .desired_count(0)
        .tags(tag("made", "create"))
        .send()
        .await
        .unwrap();
    let service = service.service().unwrap();
    assert_eq!(pairs(service.tags()), expect(&[("made", "create")]));
    let service = service.service_arn().unwrap().to_owned();
    assert!(service.ends_with(":service/c/svc"), "{service}");
    let task = ecs
        .run_task()
        .cluster("c")
        .task_definition("web")
        .tags(tag("made", "create"))
        .send()
        .await
        .unwrap();
    assert_eq!(pairs(task.tasks()[0].tags()), expect(&[("made", "create")]));
    let task = task.tasks()[0].task_arn().unwrap().to_owned();
    let registered = server
        .raw()
        .op_with_token(
            "RegisterContainerInstance",
            json!({"cluster": "c", "totalResources": [
                {"name": "CPU", "type": "INTEGER", "integerValue": 1024},
                {"name": "MEMORY", "type": "INTEGER", "integerValue": 1024}],
                "tags": [{"key": "made", "value": "create"}]}),
            &server.agent_token("c"),
        )
        .await;
    assert_eq!(registered.status, 200, "{:?}", registered.body);
    let instance =
        registered.body["containerInstance"]["containerInstanceArn"].as_str().unwrap().to_owned();

    for arn in [&service, &task, &instance] {
        let (with, without) = described(&ecs, arn).await;
        assert_eq!(pairs(&with), expect(&[("made", "create")]), "{arn}");
        assert!(without.is_empty(), "{arn}: tags only with include TAGS");
        assert_eq!(tags_of(&ecs, arn).await, expect(&[("made", "create")]));

        ecs.tag_resource()
            .resource_arn(arn)
            .tags(tag("made", "tagged"))
            .tags(tag("team", "core"))
            .send()
            .await
            .unwrap();
        assert_eq!(tags_of(&ecs, arn).await, expect(&[("made", "tagged"), ("team", "core")]));
        ecs.untag_resource().resource_arn(arn).tag_keys("made").send().await.unwrap();
        assert_eq!(tags_of(&ecs, arn).await, expect(&[("team", "core")]));
        let (with, _) = described(&ecs, arn).await;
        assert_eq!(pairs(&with), expect(&[("team", "core")]), "{arn}: Describe sees the change");

        // The aws: prefix is ECS's: not added, not removed.
        let err = ecs.tag_resource().resource_arn(arn).tags(tag("aws:x", "1")).send().await;
        assert_eq!(code(&err.unwrap_err()), "InvalidParameterException");
        let err = ecs.untag_resource().resource_arn(arn).tag_keys("AWS:x").send().await;
        let err = err.unwrap_err();
        assert_eq!(code(&err), "InvalidParameterException");
        assert!(message(&err).contains("reserved prefix aws:"), "{}", message(&err));
        // Fifty tags per resource.
        let mut request = ecs.tag_resource().resource_arn(arn);
        for i in 0..49 {
            request = request.tags(tag(&format!("k{i}"), "v"));
        }
        request.send().await.unwrap();
        assert_eq!(tags_of(&ecs, arn).await.len(), 50);
        let err = ecs.tag_resource().resource_arn(arn).tags(tag("k49", "v")).send().await;
        assert_eq!(code(&err.unwrap_err()), "InvalidParameterException", "{arn}: 51 tags");
        assert_eq!(tags_of(&ecs, arn).await.len(), 50, "a refused TagResource changes nothing");
    }

    // The short ARN formats name no cluster: ECS tags by the long ones only.
    for short in [
        "arn:aws:ecs:us-east-1:000000000000:service/svc",
        "arn:aws:ecs:us-east-1:000000000000:task/0123456789abcdef",
    ] {
        let err = ecs.tag_resource().resource_arn(short).tags(tag("k", "v")).send().await;
        assert_eq!(code(&err.unwrap_err()), "InvalidParameterException", "{short}");
    }
    let err = ecs
        .tag_resource()
        .resource_arn("arn:aws:ecs:us-east-1:000000000000:service/c/nope")
        .tags(tag("k", "v"))
        .send()
        .await;
    assert_eq!(code(&err.unwrap_err()), "ResourceNotFoundException");

    // A deleted service's tags go with it.
    ecs.delete_service().cluster("c").service("svc").send().await.unwrap();
    eventually(20, "the service to be INACTIVE", || async {
        let out = ecs.describe_services().cluster("c").services("svc").send().await.unwrap();
        (out.services()[0].status() == Some("INACTIVE")).then_some(())
    })
    .await;
    let err = ecs.tag_resource().resource_arn(&service).tags(tag("k", "v")).send().await;
    assert_eq!(code(&err.unwrap_err()), "ResourceNotFoundException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_task_propagates_the_definitions_tags_and_adds_managed_ones() {
    let server = Server::start();
    let (ecs, _agent) = cluster_with_agent(&server).await;
    let out = ecs
        .run_task()
        .cluster("c")
        .task_definition("web")
        .propagate_tags(PropagateTags::TaskDefinition)
        .enable_ecs_managed_tags(true)
        .tags(tag("job", "nightly"))
        .send()
        .await
        .unwrap();
    let task = out.tasks()[0].task_arn().unwrap().to_owned();
    let all = expect(&[("app", "web"), ("job", "nightly"), ("aws:ecs:clusterName", "c")]);
    assert_eq!(pairs(out.tasks()[0].tags()), all);
    assert_eq!(tags_of(&ecs, &task).await, all);
    // The task runs with them, and keeps them as it does.
    let with = eventually(20, "the task to run", || async {
        let out = ecs.describe_tasks().cluster("c").tasks(&task).include(TaskField::Tags);
        let out = out.send().await.unwrap();
        let t = &out.tasks()[0];
        (t.last_status() == Some("RUNNING")).then(|| t.tags().to_vec())
    })
    .await;
    assert_eq!(pairs(&with), all);
    // A managed tag does not count against the quota: 48 more make 50 of the caller's.
    let mut request = ecs.tag_resource().resource_arn(&task);
    for i in 0..48 {
        request = request.tags(tag(&format!("k{i}"), "v"));
    }
    request.send().await.unwrap();
    assert_eq!(tags_of(&ecs, &task).await.len(), 51);
    let err = ecs.untag_resource().resource_arn(&task).tag_keys("aws:ecs:clusterName").send().await;
    assert_eq!(code(&err.unwrap_err()), "InvalidParameterException");

    // Without either, a task has only what the call gives.
    let out = ecs.run_task().cluster("c").task_definition("web").send().await.unwrap();
    assert!(out.tasks()[0].tags().is_empty());
    let err = ecs
        .run_task()
        .cluster("c")
        .task_definition("web")
        .propagate_tags(PropagateTags::Service)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

/// The tags of the RUNNING tasks of a service, once it runs `count` of them.
async fn service_task_tags(
    ecs: &aws_sdk_ecs::Client,
    service: &str,
    count: usize,
    started_by: Option<&str>,
) -> Vec<Vec<(String, String)>> {
    eventually(30, &format!("{count} running tasks of {service}"), || async {
        let arns = ecs.list_tasks().cluster("c").service_name(service).send().await.unwrap();
        let arns = arns.task_arns().to_vec();
        if arns.is_empty() {
            return None;
        }
        let out = ecs.describe_tasks().cluster("c").set_tasks(Some(arns)).include(TaskField::Tags);
        let out = out.send().await.unwrap();
        let tasks: Vec<_> = out
            .tasks()
            .iter()
            .filter(|t| t.last_status() == Some("RUNNING"))
            .filter(|t| started_by.is_none_or(|s| t.started_by() == Some(s)))
            .map(|t| pairs(t.tags()))
            .collect();
        (tasks.len() == count).then_some(tasks)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_tasks_get_the_services_or_the_definitions_tags() {
    let server = Server::start_with_args(&["--task-settle-time", "1"]);
    let (ecs, _agent) = cluster_with_agent(&server).await;
    let create = |name: &str, propagate: Option<PropagateTags>, managed: bool| {
        ecs.create_service()
            .cluster("c")
            .service_name(name)
            .task_definition("web")
            .desired_count(2)
            .tags(tag("svc", name))
            .set_propagate_tags(propagate)
            .enable_ecs_managed_tags(managed)
            .send()
    };
    create("from-service", Some(PropagateTags::Service), true).await.unwrap();
    create("from-definition", Some(PropagateTags::TaskDefinition), false).await.unwrap();
    let plain = create("plain", None, false).await.unwrap();
    assert_eq!(plain.service().unwrap().propagate_tags(), Some(&PropagateTags::None));

    let managed = [("aws:ecs:clusterName", "c"), ("aws:ecs:serviceName", "from-service")];
    let from_service: Vec<_> = [("svc", "from-service")].into_iter().chain(managed).collect();
    for tags in service_task_tags(&ecs, "from-service", 2, None).await {
        assert_eq!(tags, expect(&from_service));
    }
    for tags in service_task_tags(&ecs, "from-definition", 2, None).await {
        assert_eq!(tags, expect(&[("app", "web")]));
    }
    for tags in service_task_tags(&ecs, "plain", 2, None).await {
        assert!(tags.is_empty(), "{tags:?}");
    }

    // An update changes how the tasks started from then on are tagged, without a deployment
    // of its own; a forced one replaces the tasks.
    let updated = ecs
        .update_service()
        .cluster("c")
        .service("plain")
        .propagate_tags(PropagateTags::Service)
        .enable_ecs_managed_tags(true)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.service().unwrap().deployments().len(), 1);
    ecs.tag_resource()
        .resource_arn(updated.service().unwrap().service_arn().unwrap())
        .tags(tag("added", "later"))
        .send()
        .await
        .unwrap();
    let forced =
        ecs.update_service().cluster("c").service("plain").force_new_deployment(true).send();
    let forced = forced.await.unwrap();
    let deployment = forced.service().unwrap().deployments()[0].id().unwrap().to_owned();
    let expected = expect(&[
        ("svc", "plain"),
        ("added", "later"),
        ("aws:ecs:clusterName", "c"),
        ("aws:ecs:serviceName", "plain"),
    ]);
    for tags in service_task_tags(&ecs, "plain", 2, Some(&deployment)).await {
        assert_eq!(tags, expected);
    }
}

#[tokio::test]
async fn capacity_providers_keep_their_tags() {
    let server = Server::start();
    let ecs = server.ecs();
    let group = aws_sdk_ecs::types::AutoScalingGroupProvider::builder()
        .auto_scaling_group_arn(
            "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:1:autoScalingGroupName/g",
        )
        .build()
        .unwrap();
    let created = ecs
        .create_capacity_provider()
        .name("mine")
        .auto_scaling_group_provider(group.clone())
        .tags(tag("team", "blue"))
        .send()
        .await
        .unwrap();
    let arn = created.capacity_provider().unwrap().capacity_provider_arn().unwrap().to_owned();
    assert_eq!(tags_of(&ecs, &arn).await, [("team".to_owned(), "blue".to_owned())]);
    ecs.tag_resource().resource_arn(&arn).tags(tag("env", "prod")).send().await.unwrap();
    ecs.untag_resource().resource_arn(&arn).tag_keys("team").send().await.unwrap();
    assert_eq!(tags_of(&ecs, &arn).await, [("env".to_owned(), "prod".to_owned())]);
    // Describe shows them only with `include: TAGS`.
    let described = ecs
        .describe_capacity_providers()
        .capacity_providers("mine")
        .include(aws_sdk_ecs::types::CapacityProviderField::Tags)
        .send()
        .await
        .unwrap();
    let shown = &described.capacity_providers()[0];
    assert_eq!(shown.tags().len(), 1);
    assert_eq!(shown.auto_scaling_group_provider(), Some(&group));
    let plain = ecs.describe_capacity_providers().capacity_providers("mine").send().await.unwrap();
    assert!(plain.capacity_providers()[0].tags().is_empty());
    // The `aws:` prefix is refused, and so are more than 50 tags.
    let err =
        ecs.tag_resource().resource_arn(&arn).tags(tag("aws:x", "1")).send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException", "{}", message(&err));
    let fifty_one: Vec<Tag> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
    let err =
        ecs.tag_resource().resource_arn(&arn).set_tags(Some(fifty_one)).send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException", "{}", message(&err));
    assert_eq!(tags_of(&ecs, &arn).await, [("env".to_owned(), "prod".to_owned())]);
    // The built-in providers have none.
    let fargate = ecs.describe_capacity_providers().send().await.unwrap();
    let names: Vec<&str> = fargate.capacity_providers().iter().filter_map(|p| p.name()).collect();
    assert_eq!(names, ["FARGATE", "FARGATE_SPOT", "mine"]);
    // An update keeps the tags; a deletion leaves the provider INACTIVE and gone.
    let updated = ecs
        .update_capacity_provider()
        .name("mine")
        .auto_scaling_group_provider(
            aws_sdk_ecs::types::AutoScalingGroupProviderUpdate::builder()
                .managed_draining(aws_sdk_ecs::types::ManagedDraining::Enabled)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let provider = updated.capacity_provider().unwrap();
    assert_eq!(
        provider.auto_scaling_group_provider().and_then(|g| g.managed_draining()),
        Some(&aws_sdk_ecs::types::ManagedDraining::Enabled)
    );
    assert_eq!(tags_of(&ecs, &arn).await, [("env".to_owned(), "prod".to_owned())]);
    let deleted = ecs.delete_capacity_provider().capacity_provider(&arn).send().await.unwrap();
    assert_eq!(
        deleted.capacity_provider().and_then(|p| p.status()),
        Some(&aws_sdk_ecs::types::CapacityProviderStatus::Inactive)
    );
    let err = ecs.list_tags_for_resource().resource_arn(&arn).send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException", "{}", message(&err));
}
