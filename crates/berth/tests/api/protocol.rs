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

/// Posts `body` to `path` with the given headers, unsigned (the answer does not depend on a
/// signature), and returns the status, the headers and the body bytes.
async fn post_other(
    server: &Server,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request =
        reqwest::Client::new().post(format!("{}{path}", server.endpoint)).body(body.to_vec());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn query_protocol_clients_of_other_services_get_an_xml_invalid_action() {
    let server = Server::start();
    let form = [("content-type", "application/x-www-form-urlencoded; charset=utf-8")];
    let (status, headers, body) = post_other(
        &server,
        "/",
        &form,
        b"Action=DescribeLoadBalancers&Version=2012-06-01&PageSize=10",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(headers["content-type"], "text/xml");
    let request_id = headers["x-amzn-requestid"].to_str().unwrap();
    assert_eq!(
        String::from_utf8(body).unwrap(),
        format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>The action DescribeLoadBalancers is not valid for this web service: Berth serves ECS, Elastic Load Balancing v2, ACM and the EC2 calls of its VPC, not this.</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        )
    );

    // What the client sent is escaped, not echoed as markup.
    let (status, _, body) =
        post_other(&server, "/", &form, b"Action=%3Cx%3E%26&Version=2010-08-01").await;
    assert_eq!(status, 400);
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("The action &lt;x&gt;&amp; is not valid"), "{body}");

    // EC2 speaks its own dialect, which Berth serves for its VPC: a request with a bad
    // signature gets EC2's error document with EC2's code for it.
    let ec2 = [
        form[0],
        (
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDBERTHTEST/20250101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00",
        ),
    ];
    let (status, headers, body) =
        post_other(&server, "/", &ec2, b"Action=DescribeInstances&Version=2016-11-15").await;
    assert_eq!(status, 401);
    let request_id = headers["x-amzn-requestid"].to_str().unwrap();
    let body = String::from_utf8(body).unwrap();
    assert!(
        body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>AuthFailure</Code><Message>"),
        "{body}"
    );
    assert!(
        body.ends_with(&format!(
            "</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        )),
        "{body}"
    );

    // A form without an action is not a query request: the ECS protocol answers it.
    let (status, headers, _) = post_other(&server, "/", &form, b"Version=2015-12-01").await;
    assert_eq!(status, 400);
    assert_eq!(headers["x-amzn-errortype"], "UnknownOperationException");
}

#[tokio::test]
async fn cbor_clients_of_other_services_get_a_cbor_unknown_operation() {
    let server = Server::start();
    let (status, headers, body) = post_other(
        &server,
        "/service/GraniteServiceVersion20100801/operation/ListMetrics",
        &[("content-type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")],
        &[0xbf, 0xff],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(headers["content-type"], "application/cbor");
    assert_eq!(headers["smithy-protocol"], "rpc-v2-cbor");
    assert_eq!(headers["x-amzn-errortype"], "UnknownOperationException");
    assert!(headers.contains_key("x-amzn-requestid"));
    // A map of two text pairs: `__type` and `message`.
    let message = "Unknown operation GraniteServiceVersion20100801.ListMetrics: Berth serves ECS, Elastic Load Balancing v2, ACM and the EC2 calls of its VPC, not this.";
    let mut expected = vec![0xa2, 0x66];
    expected.extend(b"__type");
    expected.extend([0x78, 25]);
    expected.extend(b"UnknownOperationException");
    expected.push(0x67);
    expected.extend(b"message");
    expected.extend([0x78, message.len() as u8]);
    expected.extend(message.as_bytes());
    assert_eq!(body, expected);
}

#[tokio::test]
async fn json_clients_of_other_services_get_unknown_operation() {
    let server = Server::start();
    let response = server.raw().call(Some("Logs_20140328.DescribeLogGroups"), "{}").await;
    assert_eq!(response.status, 400);
    assert_eq!(response.error_type.as_deref(), Some("UnknownOperationException"));
    assert_eq!(response.body["__type"], "UnknownOperationException");
    assert_eq!(
        response.body["message"],
        "Unknown operation Logs_20140328.DescribeLogGroups: Berth serves ECS, Elastic Load Balancing v2, ACM and the EC2 calls of its VPC, not this."
    );
}
