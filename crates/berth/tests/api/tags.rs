//! TagResource, UntagResource and ListTagsForResource on clusters and task definitions.

use aws_sdk_ecs::types::{ContainerDefinition, Tag};

use crate::common::{Server, code};

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
