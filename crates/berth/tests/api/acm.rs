//! ACM's certificate store against a real server, driven as the AWS CLI drives it: JSON 1.1
//! requests (`X-Amz-Target: CertificateManager.*`) signed for `acm`, blobs in base64, and ELBv2
//! query requests signed for `elasticloadbalancing`. A CA-signed certificate is imported,
//! described, listed, read back without its key and reimported; a key of another certificate is refused and
//! stores nothing; an HTTPS listener uses the certificate, which then cannot be deleted until the
//! listener goes; a load-balancer node given the control plane's configuration serves it to a
//! TLS client (curl) that trusts only the test CA.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::common::{ADMIN_KEY, ADMIN_SECRET, Server, TestUser, allow, auth_file_with};

/// The load balancer's test certificate (CN=localhost, EC P-256, signed by the test CA), its
/// key and the CA.
const CERT: &str = include_str!("../../../lb/tests/data/cert.pem");
const KEY: &str = include_str!("../../../lb/tests/data/key.pem");
const CA: &str = include_str!("../../../lb/tests/data/ca.pem");
/// A self-signed RSA 2048 certificate and its key.
const RSA_CERT: &str = include_str!("../../../server/tests/data/acm/rsa-cert.pem");
const RSA_KEY: &str = include_str!("../../../server/tests/data/acm/rsa-key.pem");
/// An EC P-256 key of no certificate.
const OTHER_KEY: &str = include_str!("../../../server/tests/data/acm/other-key.pem");

/// The headers AWS Signature V4 adds to a `POST /` for `service`.
fn sign(
    endpoint: &str,
    service: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    key: &str,
    secret: &str,
) -> Vec<(String, String)> {
    crate::common::sign_for(service, endpoint, headers, body, key, secret, SystemTime::now())
}

async fn post(
    endpoint: &str,
    service: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    credentials: (&str, &str),
) -> (u16, Option<String>, String) {
    let signature = sign(endpoint, service, headers, body, credentials.0, credentials.1);
    let mut request = reqwest::Client::new().post(format!("{endpoint}/")).body(body.to_vec());
    for (name, value) in headers.iter().copied() {
        request = request.header(name, value);
    }
    for (name, value) in &signature {
        request = request.header(name.as_str(), value.as_str());
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (status, content_type, response.text().await.expect("body"))
}

/// Calls an ACM operation as the given user; answers the status and the JSON body.
async fn acm_as(
    server: &Server,
    operation: &str,
    body: Value,
    credentials: (&str, &str),
) -> (u16, Value) {
    let target = format!("CertificateManager.{operation}");
    let headers = [("content-type", "application/x-amz-json-1.1"), ("x-amz-target", &target)];
    let body = body.to_string();
    let (status, content_type, text) =
        post(&server.endpoint, "acm", &headers, body.as_bytes(), credentials).await;
    assert_eq!(content_type.as_deref(), Some("application/x-amz-json-1.1"), "{text}");
    (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")))
}

async fn acm(server: &Server, operation: &str, body: Value) -> (u16, Value) {
    acm_as(server, operation, body, (ADMIN_KEY, ADMIN_SECRET)).await
}

/// Calls an ELBv2 action; answers the status and the XML body.
async fn elb(server: &Server, action: &str, params: &[(&str, &str)]) -> (u16, String) {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("Action", action).append_pair("Version", "2015-12-01");
    for (name, value) in params {
        form.append_pair(name, value);
    }
    let body = form.finish();
    let headers = [("content-type", "application/x-www-form-urlencoded; charset=utf-8")];
    let (status, _, text) = post(
        &server.endpoint,
        "elasticloadbalancing",
        &headers,
        body.as_bytes(),
        (ADMIN_KEY, ADMIN_SECRET),
    )
    .await;
    (status, text)
}

/// The text of the first `<tag>` in an XML answer.
fn xml(text: &str, tag: &str) -> String {
    let open = format!("<{tag}>");
    let start = text.find(&open).unwrap_or_else(|| panic!("no <{tag}> in {text}")) + open.len();
    let end = text[start..].find(&format!("</{tag}>")).unwrap() + start;
    text[start..end].to_owned()
}

/// Standard base64 with padding, as botocore encodes blobs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The certificates ListCertificates shows of EC P-256 keys (ACM shows only RSA_2048 ones
/// unless asked).
async fn listed(server: &Server) -> Vec<Value> {
    let (status, body) =
        acm(server, "ListCertificates", json!({"Includes": {"keyTypes": ["EC_prime256v1"]}})).await;
    assert_eq!(status, 200, "{body}");
    body["CertificateSummaryList"].as_array().unwrap().clone()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_certificate_serves_an_https_listener_and_is_kept_while_in_use() {
    let server = Server::start();
    assert_eq!(base64(b"hello!?"), "aGVsbG8hPw==");

    let (status, body) = acm(
        &server,
        "ImportCertificate",
        json!({"Certificate": base64(CERT.as_bytes()), "PrivateKey": base64(KEY.as_bytes()),
               "CertificateChain": base64(CA.as_bytes()), "Tags": [{"Key": "team", "Value": "web"}]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let arn = body["CertificateArn"].as_str().unwrap().to_owned();
    let id = arn.strip_prefix("arn:aws:acm:us-east-1:").and_then(|r| r.split_once(":certificate/"));
    assert!(id.is_some_and(|(_, id)| id.len() == 36), "{arn}");

    let (status, body) = acm(&server, "DescribeCertificate", json!({"CertificateArn": arn})).await;
    assert_eq!(status, 200, "{body}");
    let detail = &body["Certificate"];
    assert_eq!(detail["CertificateArn"], arn);
    assert_eq!(detail["DomainName"], "localhost");
    assert_eq!(detail["SubjectAlternativeNames"], json!(["localhost", "127.0.0.1"]));
    assert_eq!(detail["Status"], "ISSUED");
    assert_eq!(detail["Type"], "IMPORTED");
    assert_eq!(detail["KeyAlgorithm"], "EC_prime256v1");
    assert_eq!(detail["Issuer"], "Berth test CA");
    assert_eq!(detail["Subject"], "CN=localhost");
    assert_eq!(detail["Serial"], "6f:36:08:50:c4:0d:0f:3d:ab:64:fd:17:45:4d:0d:4f:b0:ce:89:e8");
    assert_eq!(detail["NotAfter"], json!(4_950_273_969.0));
    assert!(detail["ImportedAt"].as_f64().is_some(), "{detail}");
    assert_eq!(detail["InUseBy"], json!([]));
    assert_eq!(detail["ExtendedKeyUsages"][0]["Name"], "TLS_WEB_SERVER_AUTHENTICATION");

    // As ACM, ListCertificates shows only RSA_2048 certificates unless asked for other types.
    let (status, body) = acm(&server, "ListCertificates", json!({})).await;
    assert_eq!((status, &body["CertificateSummaryList"]), (200, &json!([])), "{body}");
    let summaries = listed(&server).await;
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0]["CertificateArn"], arn);
    assert_eq!(summaries[0]["DomainName"], "localhost");
    assert_eq!(summaries[0]["InUse"], false);
    let (status, body) = acm(
        &server,
        "ListCertificates",
        json!({"CertificateStatuses": ["EXPIRED"], "Includes": {"keyTypes": ["EC_prime256v1"]}}),
    )
    .await;
    assert_eq!((status, &body["CertificateSummaryList"]), (200, &json!([])), "{body}");

    // GetCertificate answers the certificate and its chain, never the key.
    let (status, body) = acm(&server, "GetCertificate", json!({"CertificateArn": arn})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Certificate"].as_str().unwrap().trim(), CERT.trim());
    assert_eq!(body["CertificateChain"].as_str().unwrap().trim(), CA.trim());
    assert!(!body.to_string().contains("PRIVATE KEY"), "{body}");
    assert_eq!(body.as_object().unwrap().len(), 2, "{body}");

    let (status, body) =
        acm(&server, "ListTagsForCertificate", json!({"CertificateArn": arn})).await;
    assert_eq!((status, &body["Tags"]), (200, &json!([{"Key": "team", "Value": "web"}])));

    // Reimporting keeps the ARN and the tags; it may not change the key type or add tags.
    let reimport = json!({"CertificateArn": arn, "Certificate": base64(CERT.as_bytes()),
                          "PrivateKey": base64(KEY.as_bytes())});
    let (status, body) = acm(&server, "ImportCertificate", reimport.clone()).await;
    assert_eq!((status, &body["CertificateArn"]), (200, &json!(arn)), "{body}");
    let (_, body) = acm(&server, "GetCertificate", json!({"CertificateArn": arn})).await;
    assert_eq!(body.get("CertificateChain"), None, "the reimport had no chain: {body}");
    let (_, body) = acm(&server, "ListTagsForCertificate", json!({"CertificateArn": arn})).await;
    assert_eq!(body["Tags"], json!([{"Key": "team", "Value": "web"}]));
    let mut rsa = reimport.clone();
    rsa["Certificate"] = json!(base64(RSA_CERT.as_bytes()));
    rsa["PrivateKey"] = json!(base64(RSA_KEY.as_bytes()));
    let (status, body) = acm(&server, "ImportCertificate", rsa).await;
    assert_eq!((status, &body["__type"]), (400, &json!("ValidationException")), "{body}");
    let mut tagged = reimport;
    tagged["Tags"] = json!([{"Key": "more"}]);
    let (status, body) = acm(&server, "ImportCertificate", tagged).await;
    assert_eq!((status, &body["__type"]), (400, &json!("InvalidParameterException")), "{body}");

    // A key of another certificate is refused, and nothing is stored.
    let (status, body) = acm(
        &server,
        "ImportCertificate",
        json!({"Certificate": base64(CERT.as_bytes()), "PrivateKey": base64(OTHER_KEY.as_bytes())}),
    )
    .await;
    assert_eq!((status, &body["__type"]), (400, &json!("ValidationException")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("does not match"), "{body}");
    assert_eq!(listed(&server).await.len(), 1);

    // Malformed and unknown ARNs.
    let (status, body) =
        acm(&server, "DescribeCertificate", json!({"CertificateArn": "arn:aws:s3:::a-bucket/key"}))
            .await;
    assert_eq!((status, &body["__type"]), (400, &json!("InvalidArnException")), "{body}");
    let unknown = format!("{}00000000-0000-4000-8000-000000000000", &arn[..arn.len() - 36]);
    let (status, body) = acm(&server, "GetCertificate", json!({"CertificateArn": unknown})).await;
    assert_eq!((status, &body["__type"]), (400, &json!("ResourceNotFoundException")), "{body}");

    // An HTTPS listener with the certificate.
    let (status, text) =
        elb(&server, "CreateLoadBalancer", &[("Name", "secure"), ("Scheme", "internal")]).await;
    assert_eq!(status, 200, "{text}");
    let lb_arn = xml(&text, "LoadBalancerArn");
    let vpc = xml(&text, "VpcId");
    let (status, text) = elb(
        &server,
        "CreateTargetGroup",
        &[("Name", "secure-web"), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", &vpc)],
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let group_arn = xml(&text, "TargetGroupArn");
    let port = free_port();
    let (status, text) = elb(
        &server,
        "CreateListener",
        &[
            ("LoadBalancerArn", &lb_arn),
            ("Protocol", "HTTPS"),
            ("Port", &port.to_string()),
            ("Certificates.member.1.CertificateArn", &arn),
            ("DefaultActions.member.1.Type", "forward"),
            ("DefaultActions.member.1.TargetGroupArn", &group_arn),
        ],
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let listener_arn = xml(&text, "ListenerArn");

    let (_, body) = acm(&server, "DescribeCertificate", json!({"CertificateArn": arn})).await;
    assert_eq!(body["Certificate"]["InUseBy"], json!([lb_arn]));
    assert_eq!(listed(&server).await[0]["InUse"], true);
    let (status, body) = acm(&server, "DeleteCertificate", json!({"CertificateArn": arn})).await;
    assert_eq!((status, &body["__type"]), (400, &json!("ResourceInUseException")), "{body}");
    assert!(body["message"].as_str().unwrap().contains(&lb_arn), "{body}");
    assert_eq!(listed(&server).await.len(), 1);

    serve_tls(&server, port).await;

    let (status, text) = elb(&server, "DeleteListener", &[("ListenerArn", &listener_arn)]).await;
    assert_eq!(status, 200, "{text}");
    let (status, body) = acm(&server, "DeleteCertificate", json!({"CertificateArn": arn})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = acm(&server, "DescribeCertificate", json!({"CertificateArn": arn})).await;
    assert_eq!((status, &body["__type"]), (400, &json!("ResourceNotFoundException")), "{body}");
    assert_eq!(listed(&server).await.len(), 0);
}

/// A load-balancer node applies the control plane's configuration and serves the listener on
/// `port` with the imported certificate: curl, trusting only the test CA, completes the TLS
/// handshake for `localhost` and gets the load balancer's answer (503: the group has no
/// targets).
async fn serve_tls(server: &Server, port: u16) {
    let secret = std::fs::read_to_string(server.data_dir.join("agent-secret")).unwrap();
    let token = server::caller::lb_token(&hex::decode(secret.trim()).unwrap());
    let poll = api::lb::PollRequest {
        node: "test".to_owned(),
        revision: 0,
        health: Vec::new(),
        listener_errors: Vec::new(),
        metrics: Vec::new(),
        wait_seconds: Some(0),
    };
    let response = reqwest::Client::new()
        .post(format!("{}{}", server.endpoint, api::lb::POLL_PATH))
        .header(api::lb::TOKEN_HEADER, token)
        .json(&poll)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let config: api::lb::Config = response.json().await.unwrap();
    let listener = config.listeners.iter().find(|l| l.port == port).expect("the listener");
    assert!(listener.certificate.is_some(), "{listener:?}");
    let node = lb::Node::new("test").with_bind_address("127.0.0.1".parse().unwrap());
    let errors = node.apply(config).await;
    assert!(errors.is_empty(), "{errors:?}");

    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, CA).unwrap();
    let out = tokio::process::Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "10", "--output", "/dev/null"])
        .args(["--write-out", "%{http_code}", "--cacert"])
        .arg(&ca)
        .args(["--resolve", &format!("localhost:{port}:127.0.0.1")])
        .arg(format!("https://localhost:{port}/"))
        .output()
        .await
        .expect("running curl");
    node.shutdown().await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "curl: {stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "503", "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_operations_are_authorized_as_acm_actions() {
    let dir = tempfile::tempdir().unwrap();
    let auth = dir.path().join("auth.toml");
    let reader = TestUser {
        name: "reader",
        policy: &allow(r#""acm:List*""#),
        key: "AKIDACMREADER",
        secret: "acm-reader-secret",
    };
    std::fs::write(&auth, auth_file_with(&[reader])).unwrap();
    let server = Server::start_with_args(&["--auth-config", auth.to_str().unwrap()]);
    let as_reader = ("AKIDACMREADER", "acm-reader-secret");

    let (status, body) = acm_as(&server, "ListCertificates", json!({}), as_reader).await;
    assert_eq!(status, 200, "{body}");
    let import =
        json!({"Certificate": base64(CERT.as_bytes()), "PrivateKey": base64(KEY.as_bytes())});
    let (status, body) = acm_as(&server, "ImportCertificate", import.clone(), as_reader).await;
    assert_eq!((status, &body["__type"]), (400, &json!("AccessDeniedException")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("acm:ImportCertificate"), "{body}");
    let (status, body) =
        acm_as(&server, "ImportCertificate", import, ("AKIDACMREADER", "wrong")).await;
    assert_eq!((status, &body["__type"]), (403, &json!("InvalidSignatureException")), "{body}");
    assert_eq!(listed(&server).await.len(), 0);

    // A request signed for another service is refused.
    let target = "CertificateManager.ListCertificates";
    let headers = [("content-type", "application/x-amz-json-1.1"), ("x-amz-target", target)];
    let (status, _, text) =
        post(&server.endpoint, "ecs", &headers, b"{}", (ADMIN_KEY, ADMIN_SECRET)).await;
    assert_eq!(status, 403, "{text}");
    let (status, body) =
        acm(&server, "RequestCertificate", json!({"DomainName": "x.example"})).await;
    assert_eq!((status, &body["__type"]), (400, &json!("UnknownOperationException")), "{body}");
}
