//! The protocol around every operation: targets, bodies, the validation against the ECS model
//! that runs before any handler, and the operations Berth does not serve.

use serde_json::{Map, Value, json};

use crate::harness::{BERTH, ECS, Harness};

#[tokio::test]
async fn targets_that_name_no_operation_are_unknown() {
    let h = Harness::new().await;
    let reply = h.send(&[], "{}").await;
    reply.refused("UnknownOperationException", "The X-Amz-Target header is missing.");
    let reply = h.send(&[("x-amz-target", &format!("{ECS}LaunchRockets"))], "{}").await;
    reply.refused("UnknownOperationException", "Unknown operation");
    reply.refused("UnknownOperationException", "LaunchRockets");
    let reply = h.send(&[("x-amz-target", "SomeOtherService.ListClusters")], "{}").await;
    reply.refused(
        "UnknownOperationException",
        "Berth serves ECS, Elastic Load Balancing v2, ACM and the EC2 calls of its VPC, not this.",
    );
    // The prefix is matched exactly.
    let lower = ECS.to_lowercase();
    let reply = h.send(&[("x-amz-target", &format!("{lower}ListClusters"))], "{}").await;
    reply.refused("UnknownOperationException", "Unknown operation");
    let reply = h.send(&[("x-amz-target", &format!("{BERTH}DropTables"))], "{}").await;
    reply.refused("UnknownOperationException", "Unknown operation BerthV1.DropTables.");
    assert_eq!(h.revision(), 0);
}

#[tokio::test]
async fn bodies_must_be_json_objects() {
    let h = Harness::new().await;
    let target = format!("{ECS}CreateCluster");
    let headers = [("x-amz-target", target.as_str())];
    h.send(&headers, "{\"clusterName\": ")
        .await
        .refused("SerializationException", "The request body is not valid JSON");
    for body in ["[]", "\"c\"", "7", "null", "true"] {
        h.send(&headers, body)
            .await
            .refused("SerializationException", "The request body must be a JSON object.");
    }
    h.send(&headers, vec![0xff, 0xfe]).await.refused("SerializationException", "not valid JSON");
    assert_eq!(h.revision(), 0, "nothing was created");
    // An empty body, or one of white space only, is an empty request.
    for body in ["", " \n\t"] {
        let list = h.send(&[("x-amz-target", &format!("{ECS}ListClusters"))], body).await;
        assert_eq!(list.ok(), json!({"clusterArns": []}));
    }
    // Berth's operations read their body the same way, and type it with serde.
    let target = format!("{BERTH}DescribeTaskUsage");
    let headers = [("x-amz-target", target.as_str())];
    h.send(&headers, "{").await.refused("SerializationException", "not valid JSON");
    h.send(&headers, "[]").await.invalid("Invalid request:");
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_refused_unread() {
    let h = Harness::new().await;
    let target = format!("{ECS}CreateCluster");
    let mut body = br#"{"clusterName": "c", "padding": ""#.to_vec();
    body.resize(1024 * 1024 + 1, b' ');
    let reply = h.send(&[("x-amz-target", &target)], body).await;
    reply.refused("RequestEntityTooLargeException", "larger than the 1048576 bytes accepted");
    // The declared length alone is enough.
    let declared = (2 * 1024 * 1024).to_string();
    let headers = [("x-amz-target", target.as_str()), ("content-length", declared.as_str())];
    let reply = h.send(&headers, "").await;
    reply.refused("RequestEntityTooLargeException", "larger than");
    assert_eq!(h.revision(), 0);
}

#[tokio::test]
async fn the_model_is_checked_before_any_handler_runs() {
    let h = Harness::new().await;
    // A required member missing, or null, is named.
    h.rejects("DeleteCluster", json!({}), "Missing required parameter: cluster.").await;
    h.rejects("DeleteCluster", json!({"cluster": null}), "Missing required parameter: cluster.")
        .await;
    // Nested required members are named by their path.
    h.rejects(
        "PutAttributes",
        json!({"attributes": [{"value": "v"}]}),
        "Missing required parameter: attributes[0].name.",
    )
    .await;
    // Types: every JSON type against every kind of member.
    let cases = [
        (
            "ListClusters",
            json!({"maxResults": "10"}),
            "maxResults: expected an integer, got a string",
        ),
        (
            "ListClusters",
            json!({"maxResults": 1.5}),
            "maxResults: expected an integer, got a number",
        ),
        ("ListClusters", json!({"nextToken": 7}), "nextToken: expected a string, got an integer"),
        ("DescribeClusters", json!({"clusters": "c"}), "clusters: expected a list, got a string"),
        (
            "DescribeClusters",
            json!({"clusters": [null]}),
            "clusters[0]: expected a value, got null",
        ),
        ("DescribeClusters", json!({"clusters": [1]}), "clusters[0]: expected a string"),
        ("CreateCluster", json!({"tags": {"key": "k"}}), "tags: expected a list, got an object"),
        (
            "CreateCluster",
            json!({"configuration": []}),
            "configuration: expected an object, got a list",
        ),
        ("DeleteService", json!({"service": "s", "force": "yes"}), "force: expected a boolean"),
        (
            "SubmitTaskStateChange",
            json!({"pullStartedAt": "yesterday"}),
            "pullStartedAt: expected a timestamp in epoch seconds",
        ),
        (
            "RegisterTaskDefinition",
            json!({"family": "f", "containerDefinitions": [{"name": "a", "dockerLabels": {"k": 1}}]}),
            "containerDefinitions[0].dockerLabels[\"k\"]: expected a string, got an integer",
        ),
    ];
    for (op, body, fragment) in cases {
        let reply = h.rejects(op, body, fragment).await;
        assert!(reply.message().starts_with("Invalid type for parameter"), "{reply:?}");
    }
    // Enumerations list their values.
    h.rejects(
        "ListTasks",
        json!({"desiredStatus": "PAUSED"}),
        "Invalid value \"PAUSED\" for parameter desiredStatus: valid values are RUNNING, PENDING, STOPPED.",
    )
    .await;
    // Integers must fit in 32 bits; ranges and lengths of the model are checked.
    h.rejects("ListClusters", json!({"maxResults": 4_294_967_296_i64}), "32-bit").await;
    h.rejects(
        "CreateCluster",
        json!({"defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1001}]}),
        "Invalid value 1001 for parameter defaultCapacityProviderStrategy[0].weight: it must be between 0 and 1000.",
    )
    .await;
    let tags: Vec<Value> = (0..51).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect();
    h.rejects(
        "CreateCluster",
        json!({"clusterName": "c", "tags": tags}),
        "Invalid length for parameter tags: it must have between 0 and 50 items.",
    )
    .await;
    // Members the model does not know are ignored, and null is absent.
    let created = h
        .call("CreateCluster", json!({"clusterName": "c", "color": "blue", "settings": null}))
        .await
        .ok();
    assert_eq!(created["cluster"]["clusterName"], "c");
}

/// A request of the input shape `shape` that the model accepts: required members only, each
/// at its smallest valid value.
fn minimal(shapes: &Map<String, Value>, shape: &str) -> Value {
    let Some(definition) = shapes.get(shape) else { return json!("x") };
    let min = definition["min"].as_f64().unwrap_or(0.0).max(0.0) as usize;
    match definition["type"].as_str().unwrap_or("") {
        "structure" => {
            let mut object = Map::new();
            for name in definition["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap();
                let member = definition["members"][name].as_str().unwrap();
                object.insert(name.to_owned(), minimal(shapes, member));
            }
            Value::Object(object)
        }
        "list" => {
            let member = definition["member"].as_str().unwrap_or("");
            Value::Array((0..min).map(|_| minimal(shapes, member)).collect())
        }
        "map" => json!({}),
        "string" => match definition["enum"].as_array().and_then(|values| values.first()) {
            Some(first) => first.clone(),
            None => json!("x".repeat(min.max(1))),
        },
        "integer" | "long" => json!(definition["min"].as_i64().unwrap_or(0)),
        "double" => json!(definition["min"].as_f64().unwrap_or(0.0)),
        "boolean" => json!(false),
        "timestamp" => json!(0),
        _ => json!({}),
    }
}

#[tokio::test]
async fn operations_berth_does_not_serve_say_so_and_write_nothing() {
    let h = Harness::new().await;
    let schema: Value =
        serde_json::from_str(include_str!("../../../api/src/schema.json")).expect("the schema");
    let shapes = schema["shapes"].as_object().expect("shapes");
    let mut unsupported = 0;
    for op in api::Operation::ALL {
        let name = op.name();
        let body = minimal(shapes, op.input_shape());
        let reply = h.call(name, body.clone()).await;
        assert_ne!(reply.status, 500, "{name} {body}: {reply:?}");
        let refused_as_unsupported = reply.error_type.as_deref()
            == Some("UnsupportedFeatureException")
            && reply.message() == format!("Berth does not support the {name} operation yet.");
        if server::SERVED.contains(op) {
            assert!(!refused_as_unsupported, "{name} is routed: {reply:?}");
            assert!(
                !reply.message().starts_with("Missing required parameter"),
                "{name}: the minimal request {body} misses a required member: {reply:?}"
            );
        } else {
            assert!(refused_as_unsupported, "{name} {body}: {reply:?}");
            assert_eq!(reply.status, 400);
            unsupported += 1;
        }
    }
    assert_eq!(
        unsupported,
        api::Operation::ALL.len() - server::SERVED.len(),
        "SERVED names real operations"
    );
    // Of all those minimal requests, CreateCluster's alone wrote: the `default` cluster.
    let clusters = h.call("ListClusters", json!({})).await.ok();
    assert_eq!(clusters["clusterArns"], json!([crate::harness::arn("cluster/default")]));
    let families = h.call("ListTaskDefinitionFamilies", json!({"status": "ALL"})).await.ok();
    assert_eq!(families["families"], json!([]));
    let services = h.call("ListServices", json!({})).await.ok();
    assert_eq!(services["serviceArns"], json!([]));
}

#[tokio::test]
async fn errors_carry_the_code_in_the_header_and_the_body() {
    let h = Harness::new().await;
    let reply = h.call("DeleteCluster", json!({"cluster": "nope"})).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_type.as_deref(), Some("ClusterNotFoundException"));
    assert_eq!(
        reply.body,
        json!({"__type": "ClusterNotFoundException", "message": "Cluster not found."})
    );
}

#[tokio::test]
async fn describes_refuse_an_unknown_cluster_and_an_empty_list() {
    let h = Harness::new().await;
    h.create_cluster("c").await;
    for (op, member) in [
        ("DescribeServices", "services"),
        ("DescribeTasks", "tasks"),
        ("DescribeContainerInstances", "containerInstances"),
    ] {
        h.refuses(
            op,
            serde_json::json!({"cluster": "nope", member: ["x"]}),
            "ClusterNotFoundException",
            "",
        )
        .await;
        h.refuses(
            op,
            serde_json::json!({"cluster": "c", member: []}),
            "InvalidParameterException",
            member,
        )
        .await;
    }
}
