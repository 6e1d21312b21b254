//! The ECS JSON 1.1 protocol on the wire: targets, content types, request ids, error shapes
//! and statuses, and that a refused request writes nothing.

use serde_json::json;

use crate::common::Server;

const PREFIX: &str = "AmazonEC2ContainerServiceV20141113.";

#[tokio::test]
async fn success_responses_carry_protocol_headers() {
    let server = Server::start();
    let raw = server.raw();
    let response = raw.op("ListClusters", json!({})).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.content_type.as_deref(), Some("application/x-amz-json-1.1"));
    assert_eq!(response.request_id.as_ref().map(String::len), Some(36));
    assert_eq!(response.body, json!({"clusterArns": []}));
    // An empty body is an empty request.
    let empty = raw.call(Some(&format!("{PREFIX}ListClusters")), "").await;
    assert_eq!(empty.status, 200);
}

#[tokio::test]
async fn errors_name_the_problem_in_header_and_body() {
    let server = Server::start();
    let raw = server.raw();
    let check = |response: crate::common::RawResponse, status: u16, code: &str, needle: &str| {
        assert_eq!(response.status, status, "{response:?}");
        assert_eq!(response.error_type.as_deref(), Some(code), "{response:?}");
        assert_eq!(response.body["__type"], code);
        let message = response.body["message"].as_str().unwrap();
        assert!(message.contains(needle), "{message:?} should mention {needle:?}");
        assert!(response.request_id.is_some());
    };
    check(
        raw.call(Some(&format!("{PREFIX}LaunchRockets")), "{}").await,
        400,
        "UnknownOperationException",
        "LaunchRockets",
    );
    check(raw.call(None, "{}").await, 400, "UnknownOperationException", "X-Amz-Target");
    check(
        raw.call(Some("SomeOtherService.ListClusters"), "{}").await,
        400,
        "UnknownOperationException",
        "SomeOtherService",
    );
    check(
        raw.call(Some(&format!("{PREFIX}ListClusters")), "{\"maxResults\": ").await,
        400,
        "SerializationException",
        "not valid JSON",
    );
    check(
        raw.call(Some(&format!("{PREFIX}ListClusters")), "[]").await,
        400,
        "SerializationException",
        "JSON object",
    );
    check(
        raw.op("ListClusters", json!({"maxResults": "ten"})).await,
        400,
        "InvalidParameterException",
        "maxResults",
    );
    check(
        raw.op("ListClusters", json!({"maxResults": 1000})).await,
        400,
        "InvalidParameterException",
        "maxResults",
    );
    check(
        raw.op("DescribeTaskDefinition", json!({})).await,
        400,
        "InvalidParameterException",
        "taskDefinition",
    );
    check(
        raw.op(
            "CreateCluster",
            json!({"clusterName": "x", "settings": [{"name": "containerInsights", "value": 7}]}),
        )
        .await,
        400,
        "InvalidParameterException",
        "settings[0].value",
    );
    check(
        raw.op("CreateCluster", json!({"clusterName": "x", "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 5000}]})).await,
        400,
        "InvalidParameterException",
        "weight",
    );
    check(
        raw.op("DescribeClusters", json!({"include": ["EVERYTHING"]})).await,
        400,
        "InvalidParameterException",
        "include[0]",
    );
    check(
        raw.op("DeleteCluster", json!({"cluster": "nope"})).await,
        400,
        "ClusterNotFoundException",
        "Cluster not found",
    );
    // Nothing above created anything.
    assert_eq!(raw.op("ListClusters", json!({})).await.body, json!({"clusterArns": []}));
}

#[tokio::test]
async fn operations_not_built_yet_say_so() {
    let server = Server::start();
    let response = server.raw().op("CreateExpressGatewayService", json!({"executionRoleArn": "x", "infrastructureRoleArn": "y", "primaryContainer": {"image": "z"}})).await;
    assert_eq!(response.status, 400);
    assert_eq!(response.error_type.as_deref(), Some("UnsupportedFeatureException"));
}

#[tokio::test]
async fn timestamps_are_epoch_seconds() {
    let server = Server::start();
    let raw = server.raw();
    let response = raw
        .op("RegisterTaskDefinition", json!({"family": "t", "containerDefinitions": [{"name": "a", "image": "x", "memory": 16}]}))
        .await;
    let at = response.body["taskDefinition"]["registeredAt"].as_f64().unwrap();
    assert!(at > 1.7e9 && at < 1e10, "{at}");
}
