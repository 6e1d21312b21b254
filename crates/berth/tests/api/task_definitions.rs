//! Task definitions through aws-sdk-ecs and raw JSON: registration round-trips every member,
//! revisions, references by family / family:revision / ARN, listing with filters, sorting and
//! pages, families, deregistration and deletion, and refused definitions that change nothing.

use aws_sdk_ecs::types::{
    ContainerDefinition, SortOrder, TaskDefinitionFamilyStatus, TaskDefinitionField,
    TaskDefinitionStatus,
};
use serde_json::{Value, json};

use crate::common::{Server, code};

const FIXTURE: &str = include_str!("../fixtures/webapp-taskdef.json");

/// Asserts that every member of `input` is in `output` with the same value (recursively;
/// lists element by element). `output` may carry more members (defaults ECS fills in).
fn assert_preserved(input: &Value, output: &Value, path: &str) {
    match (input, output) {
        (Value::Object(i), Value::Object(o)) => {
            for (k, v) in i {
                let p = format!("{path}.{k}");
                let got = o.get(k).unwrap_or_else(|| panic!("{p} is missing from the output"));
                assert_preserved(v, got, &p);
            }
        }
        (Value::Array(i), Value::Array(o)) => {
            assert_eq!(i.len(), o.len(), "{path} has a different length");
            for (n, (a, b)) in i.iter().zip(o).enumerate() {
                assert_preserved(a, b, &format!("{path}[{n}]"));
            }
        }
        _ => assert_eq!(input, output, "{path} changed"),
    }
}

async fn register(ecs: &aws_sdk_ecs::Client, family: &str) -> String {
    ecs.register_task_definition()
        .family(family)
        .container_definitions(
            ContainerDefinition::builder().name("app").image("busybox").memory(64).build(),
        )
        .send()
        .await
        .unwrap()
        .task_definition()
        .unwrap()
        .task_definition_arn()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_realistic_definition_round_trips() {
    let server = Server::start();
    let raw = server.raw();
    let input: Value = serde_json::from_str(FIXTURE).unwrap();
    let registered = raw.op("RegisterTaskDefinition", input.clone()).await;
    assert_eq!(registered.status, 200, "{:?}", registered.body);
    let td = &registered.body["taskDefinition"];
    assert_eq!(td["revision"], 1);
    assert_eq!(td["status"], "ACTIVE");
    assert_eq!(
        td["taskDefinitionArn"],
        "arn:aws:ecs:us-east-1:000000000000:task-definition/webapp:1"
    );
    assert!(td["registeredAt"].is_number(), "timestamps are epoch seconds");
    assert!(td["requiresAttributes"].is_array());
    assert!(td["compatibilities"].as_array().unwrap().contains(&json!("EC2")));
    assert_eq!(registered.body["tags"], json!([{"key": "app", "value": "webapp"}]));

    let described = raw
        .op("DescribeTaskDefinition", json!({"taskDefinition": "webapp", "include": ["TAGS"]}))
        .await;
    assert_eq!(described.status, 200);
    let mut without_tags = input.clone();
    without_tags.as_object_mut().unwrap().remove("tags");
    assert_preserved(&without_tags, &described.body["taskDefinition"], "taskDefinition");
    assert_eq!(described.body["tags"], input["tags"]);
    // Through the SDK too: the typed client sees the same definition.
    let ecs = server.ecs();
    let sdk = ecs.describe_task_definition().task_definition("webapp:1").send().await.unwrap();
    let td = sdk.task_definition().unwrap();
    assert_eq!(td.container_definitions().len(), 3);
    assert_eq!(td.container_definitions()[0].health_check().unwrap().interval(), Some(10));
    assert!(sdk.tags().is_empty(), "tags only with include TAGS");
}

#[tokio::test]
async fn revisions_and_references() {
    let server = Server::start();
    let ecs = server.ecs();
    let first = register(&ecs, "api").await;
    let second = register(&ecs, "api").await;
    assert!(first.ends_with("task-definition/api:1"));
    assert!(second.ends_with("task-definition/api:2"));

    for reference in ["api", "api:2", second.as_str()] {
        let td = ecs.describe_task_definition().task_definition(reference).send().await.unwrap();
        assert_eq!(td.task_definition().unwrap().revision(), 2, "{reference}");
    }
    let td = ecs.describe_task_definition().task_definition(&first).send().await.unwrap();
    assert_eq!(td.task_definition().unwrap().revision(), 1);

    // The family resolves to the latest ACTIVE revision.
    let gone = ecs.deregister_task_definition().task_definition("api:2").send().await.unwrap();
    let gone = gone.task_definition().unwrap();
    assert_eq!(gone.status(), Some(&TaskDefinitionStatus::Inactive));
    assert!(gone.deregistered_at().is_some());
    let td = ecs.describe_task_definition().task_definition("api").send().await.unwrap();
    assert_eq!(td.task_definition().unwrap().revision(), 1);
    // An INACTIVE revision is still describable by revision.
    let td = ecs.describe_task_definition().task_definition("api:2").send().await.unwrap();
    assert_eq!(td.task_definition().unwrap().status(), Some(&TaskDefinitionStatus::Inactive));

    for missing in ["nope", "api:9", "arn:aws:ecs:us-east-1:000000000000:task-definition/nope:1"] {
        let err = ecs.describe_task_definition().task_definition(missing).send().await.unwrap_err();
        assert_eq!(code(&err), "ClientException", "{missing}");
    }
    let err = ecs.describe_task_definition().task_definition("bad name").send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = ecs.deregister_task_definition().task_definition("api").send().await.unwrap_err();
    assert_eq!(code(&err), "ClientException", "deregistration needs a revision");
}

#[tokio::test]
async fn listing_filters_sorts_and_pages() {
    let server = Server::start();
    let ecs = server.ecs();
    for family in ["web", "web-2", "worker"] {
        for _ in 0..3 {
            register(&ecs, family).await;
        }
    }
    ecs.deregister_task_definition().task_definition("web:2").send().await.unwrap();

    let suffixes = |arns: &[String]| -> Vec<String> {
        arns.iter().map(|a| a.rsplit('/').next().unwrap().to_owned()).collect()
    };
    let all = ecs.list_task_definitions().send().await.unwrap();
    assert_eq!(
        suffixes(all.task_definition_arns()),
        ["web:1", "web:3", "web-2:1", "web-2:2", "web-2:3", "worker:1", "worker:2", "worker:3"]
    );
    let web = ecs
        .list_task_definitions()
        .family_prefix("web")
        .sort(SortOrder::Desc)
        .send()
        .await
        .unwrap();
    assert_eq!(suffixes(web.task_definition_arns()), ["web:3", "web:1"]);
    let inactive =
        ecs.list_task_definitions().status(TaskDefinitionStatus::Inactive).send().await.unwrap();
    assert_eq!(suffixes(inactive.task_definition_arns()), ["web:2"]);

    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = ecs
            .list_task_definitions()
            .sort(SortOrder::Desc)
            .max_results(3)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        seen.extend(suffixes(page.task_definition_arns()));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(
        seen,
        ["worker:3", "worker:2", "worker:1", "web-2:3", "web-2:2", "web-2:1", "web:3", "web:1"]
    );

    let families = ecs.list_task_definition_families().family_prefix("we").send().await.unwrap();
    assert_eq!(families.families(), ["web", "web-2"]);
    let page = ecs.list_task_definition_families().max_results(2).send().await.unwrap();
    assert_eq!(page.families(), ["web", "web-2"]);
    let rest = ecs
        .list_task_definition_families()
        .max_results(2)
        .next_token(page.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.families(), ["worker"]);
    assert!(rest.next_token().is_none());

    for r in 1..=3 {
        ecs.deregister_task_definition()
            .task_definition(format!("worker:{r}"))
            .send()
            .await
            .unwrap();
    }
    let active = ecs.list_task_definition_families().send().await.unwrap();
    assert_eq!(active.families(), ["web", "web-2"]);
    let inactive = ecs
        .list_task_definition_families()
        .status(TaskDefinitionFamilyStatus::Inactive)
        .send()
        .await
        .unwrap();
    assert_eq!(inactive.families(), ["worker"]);
    let every = ecs
        .list_task_definition_families()
        .status(TaskDefinitionFamilyStatus::All)
        .send()
        .await
        .unwrap();
    assert_eq!(every.families(), ["web", "web-2", "worker"]);
}

#[tokio::test]
async fn deletion_and_revisions_never_reused() {
    let server = Server::start();
    let ecs = server.ecs();
    register(&ecs, "batch").await;
    register(&ecs, "batch").await;

    let refused = ecs.delete_task_definitions().task_definitions("batch:2").send().await.unwrap();
    assert!(refused.task_definitions().is_empty());
    assert!(refused.failures()[0].reason().unwrap().contains("ACTIVE"));

    ecs.deregister_task_definition().task_definition("batch:2").send().await.unwrap();
    let deleted = ecs
        .delete_task_definitions()
        .task_definitions("batch:2")
        .task_definitions("batch:7")
        .send()
        .await
        .unwrap();
    let td = &deleted.task_definitions()[0];
    assert_eq!(td.status(), Some(&TaskDefinitionStatus::DeleteInProgress));
    assert!(td.delete_requested_at().is_some());
    assert_eq!(deleted.failures().len(), 1);
    assert_eq!(deleted.failures()[0].arn(), Some("batch:7"));
    let listed = ecs
        .list_task_definitions()
        .status(TaskDefinitionStatus::DeleteInProgress)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.task_definition_arns().len(), 1);

    let next = register(&ecs, "batch").await;
    assert!(next.ends_with(":3"), "revision numbers are never reused: {next}");
    let err = ecs.delete_task_definitions().send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

#[tokio::test]
async fn refused_definitions_change_nothing() {
    let server = Server::start();
    let raw = server.raw();
    let cases = [
        // No container is essential.
        json!({"family": "bad", "containerDefinitions": [{"name": "a", "image": "x", "memory": 64, "essential": false}]}),
        // No memory anywhere.
        json!({"family": "bad", "containerDefinitions": [{"name": "a", "image": "x"}]}),
        // memoryReservation above memory.
        json!({"family": "bad", "containerDefinitions": [{"name": "a", "image": "x", "memory": 64, "memoryReservation": 128}]}),
        // Host port differs from the container port in awsvpc.
        json!({"family": "bad", "networkMode": "awsvpc", "containerDefinitions": [{"name": "a", "image": "x", "memory": 64, "portMappings": [{"containerPort": 80, "hostPort": 81}]}]}),
        // Health check interval out of range.
        json!({"family": "bad", "containerDefinitions": [{"name": "a", "image": "x", "memory": 64, "healthCheck": {"command": ["CMD", "true"], "interval": 1}}]}),
        // dependsOn names a container that does not exist.
        json!({"family": "bad", "containerDefinitions": [{"name": "a", "image": "x", "memory": 64, "dependsOn": [{"containerName": "b", "condition": "START"}]}]}),
        // An invalid Fargate combination.
        json!({"family": "bad", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "4096", "containerDefinitions": [{"name": "a", "image": "x"}]}),
        // A wrong type.
        json!({"family": "bad", "containerDefinitions": [{"name": "a", "image": "x", "memory": "lots"}]}),
        // A bad family name.
        json!({"family": "bad name", "containerDefinitions": [{"name": "a", "image": "x", "memory": 64}]}),
        // Too many containers.
        json!({"family": "bad", "containerDefinitions": (0..11).map(|i| json!({"name": format!("c{i}"), "image": "x", "memory": 8})).collect::<Vec<_>>()}),
    ];
    for case in cases {
        let response = raw.op("RegisterTaskDefinition", case.clone()).await;
        assert_eq!(response.status, 400, "{case}: {:?}", response.body);
        let error_type = response.error_type.unwrap();
        assert!(
            error_type == "ClientException" || error_type == "InvalidParameterException",
            "{case}: {error_type}"
        );
        assert!(!response.body["message"].as_str().unwrap().is_empty());
    }
    let families = raw.op("ListTaskDefinitionFamilies", json!({"status": "ALL"})).await;
    assert_eq!(families.body["families"], json!([]));
    // The first good registration gets revision 1: refused ones consumed nothing.
    let ok = raw
        .op("RegisterTaskDefinition", json!({"family": "bad", "containerDefinitions": [{"name": "a", "image": "x", "memory": 64}]}))
        .await;
    assert_eq!(ok.body["taskDefinition"]["revision"], 1);
}

#[tokio::test]
async fn describe_with_tags_include() {
    let server = Server::start();
    let ecs = server.ecs();
    ecs.register_task_definition()
        .family("tagged")
        .container_definitions(
            ContainerDefinition::builder().name("app").image("busybox").memory(64).build(),
        )
        .tags(aws_sdk_ecs::types::Tag::builder().key("owner").value("me").build())
        .send()
        .await
        .unwrap();
    let td = ecs
        .describe_task_definition()
        .task_definition("tagged")
        .include(TaskDefinitionField::Tags)
        .send()
        .await
        .unwrap();
    assert_eq!(td.tags()[0].value(), Some("me"));
}
