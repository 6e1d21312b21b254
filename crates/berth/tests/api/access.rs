//! Access control end to end: signatures made by the SDK's own signer (aws-sigv4) and by
//! `aws-sdk-ecs`, bad ones refused with AWS's codes and without effect, policies scoping users to
//! clusters and actions, reloads, and throttling (with the real AWS CLI retrying).

use std::process::Command;
use std::time::{Duration, SystemTime};

use serde_json::json;

use crate::common::{
    ADMIN_KEY, ADMIN_SECRET, Server, SimAgent, code, ecs_client_as, eventually, message, sign,
};

const TARGET: &str = "AmazonEC2ContainerServiceV20141113";

/// The administrator, a user limited to `cluster/dev-*`, an administrator denied `prod*`, and a
/// reader (`ecs:Describe*`, `ecs:List*`).
fn auth_file() -> String {
    format!(
        r#"
[managed-policies]
no-prod = {{ Statement = [{{ Effect = "Deny", Action = "ecs:*", Resource = "arn:aws:ecs:*:*:cluster/prod*" }}] }}

[[users]]
name = "admin"
managed-policies = ["AdministratorAccess"]
[[users.keys]]
access-key-id = "{ADMIN_KEY}"
secret-access-key = "{ADMIN_SECRET}"

[[users]]
name = "dev"
policies = ['''{{"Statement": [
  {{"Effect": "Allow", "Action": "ecs:*", "Resource": "arn:aws:ecs:*:*:cluster/dev-*"}},
  {{"Effect": "Allow", "Action": ["ecs:RegisterTaskDefinition", "ecs:ListClusters"], "Resource": "*"}}]}}''']
[[users.keys]]
access-key-id = "AKIDDEV"
secret-access-key = "dev-secret"

[[users]]
name = "ops"
managed-policies = ["AdministratorAccess", "no-prod"]
[[users.keys]]
access-key-id = "AKIDOPS"
secret-access-key = "ops-secret"

[[users]]
name = "reader"
policies = ['{{"Statement": {{"Effect": "Allow", "Action": ["ecs:Describe*", "ecs:List*"], "Resource": "*"}}}}']
[[users.keys]]
access-key-id = "AKIDREADER"
secret-access-key = "reader-secret"

[throttle]
enabled = false
"#
    )
}

fn start(auth: &str) -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth.toml");
    std::fs::write(&path, auth).unwrap();
    let server = Server::start_with_args(&["--auth-config", path.to_str().unwrap()]);
    (server, dir)
}

/// A hand-made request: headers, then the signature over them (optionally for other headers or
/// another body than those sent).
struct Request {
    headers: Vec<(String, String)>,
    body: String,
}

impl Request {
    fn new(op: &str, body: serde_json::Value) -> Request {
        Request {
            headers: vec![
                ("content-type".into(), "application/x-amz-json-1.1".into()),
                ("x-amz-target".into(), format!("{TARGET}.{op}")),
            ],
            body: body.to_string(),
        }
    }

    /// Signs the request as it is now.
    fn signed(mut self, endpoint: &str, key: &str, secret: &str, at: SystemTime) -> Request {
        let headers: Vec<(&str, &str)> =
            self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let signature = sign(endpoint, &headers, self.body.as_bytes(), key, secret, at);
        self.headers.extend(signature);
        self
    }

    fn set(mut self, name: &str, value: &str) -> Request {
        self.headers.retain(|(n, _)| n != name);
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn without(mut self, name: &str) -> Request {
        self.headers.retain(|(n, _)| n != name);
        self
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_correctly_signed_requests_act() {
    let (server, _dir) = start(&auth_file());
    let raw = server.raw();
    let endpoint = server.endpoint.as_str();
    let now = SystemTime::now();
    let create = |name: &str| Request::new("CreateCluster", json!({"clusterName": name}));

    let ok = raw
        .unsigned(
            &create("signed").signed(endpoint, ADMIN_KEY, ADMIN_SECRET, now).headers,
            create("signed").body.as_bytes(),
        )
        .await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);

    let evil = create("evil");
    let cases: Vec<(&str, Request, &str, u16, &str)> = vec![
        (
            "wrong secret",
            create("evil").signed(endpoint, ADMIN_KEY, "not-the-secret", now),
            "InvalidSignatureException",
            403,
            "The request signature we calculated does not match the signature you provided.",
        ),
        (
            "unknown key",
            create("evil").signed(endpoint, "AKIDNOBODY", ADMIN_SECRET, now),
            "UnrecognizedClientException",
            403,
            "The security token included in the request is invalid.",
        ),
        (
            "tampered body",
            Request {
                body: evil.body.clone(),
                ..create("harmless").signed(endpoint, ADMIN_KEY, ADMIN_SECRET, now)
            },
            "InvalidSignatureException",
            403,
            "does not match",
        ),
        (
            "altered signed header (the operation)",
            Request::new("ListClusters", json!({"clusterName": "evil"}))
                .signed(endpoint, ADMIN_KEY, ADMIN_SECRET, now)
                .set("x-amz-target", &format!("{TARGET}.CreateCluster")),
            "InvalidSignatureException",
            403,
            "does not match",
        ),
        (
            "expired date",
            create("evil").signed(
                endpoint,
                ADMIN_KEY,
                ADMIN_SECRET,
                now - Duration::from_secs(20 * 60),
            ),
            "InvalidSignatureException",
            403,
            "Signature expired",
        ),
        (
            "date in the future",
            create("evil").signed(
                endpoint,
                ADMIN_KEY,
                ADMIN_SECRET,
                now + Duration::from_secs(20 * 60),
            ),
            "InvalidSignatureException",
            403,
            "Signature not yet current",
        ),
        (
            "missing authorization",
            create("evil"),
            "MissingAuthenticationTokenException",
            403,
            "Missing Authentication Token",
        ),
        (
            "missing signed header (x-amz-date)",
            create("evil").signed(endpoint, ADMIN_KEY, ADMIN_SECRET, now).without("x-amz-date"),
            "IncompleteSignatureException",
            400,
            "",
        ),
        (
            "malformed authorization",
            create("evil").set("authorization", "AWS4-HMAC-SHA256 Credential=AKID"),
            "IncompleteSignatureException",
            400,
            "",
        ),
    ];
    for (what, request, code, status, words) in cases {
        let body = request.body.clone();
        let response = raw.unsigned(&request.headers, body.as_bytes()).await;
        assert_eq!(response.error_type.as_deref(), Some(code), "{what}: {:?}", response.body);
        assert_eq!(response.status, status, "{what}");
        assert_eq!(response.body["__type"], json!(code), "{what}");
        let text = response.body["message"]
            .as_str()
            .or(response.body["Message"].as_str())
            .unwrap_or_default();
        assert!(text.contains(words), "{what}: {text}");
    }

    // The SDK's own signing, with good and bad credentials.
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("sdk").send().await.unwrap();
    let err = ecs_client_as(endpoint, ADMIN_KEY, "wrong")
        .create_cluster()
        .cluster_name("evil")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidSignatureException");
    let err = ecs_client_as(endpoint, "AKIDNOBODY", "x")
        .create_cluster()
        .cluster_name("evil")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UnrecognizedClientException");

    // Nothing the refused requests asked for happened.
    let listed = ecs.list_clusters().send().await.unwrap();
    let mut names: Vec<&str> =
        listed.cluster_arns().iter().map(|a| a.rsplit('/').next().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["sdk", "signed"]);
}

/// The operation is part of what the signature vouches for: a request signed without
/// `x-amz-target` in `SignedHeaders`, the target added afterwards, is refused with the header
/// named and does nothing; so is any other unsigned `x-amz-*` header.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_added_after_signing_is_refused() {
    let (server, _dir) = start(&auth_file());
    let raw = server.raw();
    let endpoint = server.endpoint.as_str();
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("keep").send().await.unwrap();

    let body = json!({"cluster": "keep"}).to_string();
    let mut headers = vec![("content-type".to_owned(), "application/x-amz-json-1.1".to_owned())];
    let signature = sign(
        endpoint,
        &[("content-type", "application/x-amz-json-1.1")],
        body.as_bytes(),
        ADMIN_KEY,
        ADMIN_SECRET,
        SystemTime::now(),
    );
    let authorization = &signature.iter().find(|(name, _)| name == "authorization").unwrap().1;
    assert!(
        authorization.contains("SignedHeaders=content-type;host;x-amz-date,"),
        "{authorization}"
    );
    headers.extend(signature);
    let mut with_target = headers.clone();
    with_target.push(("x-amz-target".to_owned(), format!("{TARGET}.DeleteCluster")));
    let response = raw.unsigned(&with_target, body.as_bytes()).await;
    assert_eq!(response.status, 400, "{:?}", response.body);
    assert_eq!(response.error_type.as_deref(), Some("IncompleteSignatureException"));
    assert_eq!(response.body["__type"], json!("IncompleteSignatureException"));
    assert_eq!(
        response.body["message"],
        json!("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.")
    );

    // Any other unsigned x-amz-* header on a correctly signed request is refused the same way.
    let request = Request::new("DeleteCluster", json!({"cluster": "keep"}))
        .signed(endpoint, ADMIN_KEY, ADMIN_SECRET, SystemTime::now())
        .set("x-amz-user-agent", "added-later");
    let response = raw.unsigned(&request.headers, request.body.as_bytes()).await;
    assert_eq!(response.error_type.as_deref(), Some("IncompleteSignatureException"));
    assert_eq!(
        response.body["message"],
        json!("'X-Amz-User-Agent' must be a 'SignedHeader' in the AWS Authorization.")
    );

    // The cluster is still there.
    let described = ecs.describe_clusters().clusters("keep").send().await.unwrap();
    assert_eq!(described.clusters()[0].status(), Some("ACTIVE"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policies_scope_users_to_clusters_and_actions() {
    let (server, _dir) = start(&auth_file());
    let admin = server.ecs();
    for name in ["dev-a", "prod"] {
        admin.create_cluster().cluster_name(name).send().await.unwrap();
    }
    let _agents =
        [SimAgent::start(&server, "dev-a", "zone-a"), SimAgent::start(&server, "prod", "zone-a")];
    let dev = ecs_client_as(&server.endpoint, "AKIDDEV", "dev-secret");
    let ops = ecs_client_as(&server.endpoint, "AKIDOPS", "ops-secret");
    let reader = ecs_client_as(&server.endpoint, "AKIDREADER", "reader-secret");
    let container = aws_sdk_ecs::types::ContainerDefinition::builder()
        .name("app")
        .image("busybox")
        .memory(64)
        .command("httpd")
        .build();
    // dev may register task definitions (its policy names the action on `*`).
    dev.register_task_definition()
        .family("web")
        .container_definitions(container)
        .send()
        .await
        .unwrap();
    // The signer is recorded where ECS records the caller.
    let described = admin.describe_task_definition().task_definition("web").send().await.unwrap();
    assert_eq!(
        described.task_definition().unwrap().registered_by(),
        Some("arn:aws:iam::000000000000:user/dev")
    );
    eventually(10, "instances in both clusters", || async {
        let mut ready = true;
        for c in ["dev-a", "prod"] {
            ready &= !admin
                .list_container_instances()
                .cluster(c)
                .send()
                .await
                .unwrap()
                .container_instance_arns()
                .is_empty();
        }
        ready.then_some(())
    })
    .await;

    // Limited to cluster/dev-*: runs, lists and stops tasks there...
    let ran = dev.run_task().cluster("dev-a").task_definition("web").send().await.unwrap();
    let task = ran.tasks()[0].task_arn().unwrap().to_owned();
    assert_eq!(
        dev.list_tasks().cluster("dev-a").send().await.unwrap().task_arns(),
        std::slice::from_ref(&task)
    );
    dev.describe_tasks().cluster("dev-a").tasks(&task).send().await.unwrap();
    // ...and nothing in prod.
    let err = dev.run_task().cluster("prod").task_definition("web:1").send().await.unwrap_err();
    assert_eq!(code(&err), "AccessDeniedException");
    let text = message(&err);
    assert!(
        text.starts_with(
            "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"
        ),
        "{text}"
    );
    assert!(
        text.contains("because no identity-based policy allows the ecs:RunTask action"),
        "{text}"
    );
    let err = dev.list_tasks().cluster("prod").send().await.unwrap_err();
    assert_eq!(code(&err), "AccessDeniedException");
    let err = dev.describe_clusters().clusters("prod").send().await.unwrap_err();
    assert_eq!(code(&err), "AccessDeniedException");
    let err = dev.create_cluster().cluster_name("prod-2").send().await.unwrap_err();
    assert_eq!(code(&err), "AccessDeniedException");
    assert!(admin.list_tasks().cluster("prod").send().await.unwrap().task_arns().is_empty());

    // Explicit Deny beats Allow: ops is an administrator denied prod*.
    let err = ops.run_task().cluster("prod").task_definition("web").send().await.unwrap_err();
    assert_eq!(code(&err), "AccessDeniedException");
    let text = message(&err);
    assert!(text.contains("with an explicit deny in an identity-based policy: arn:aws:iam::000000000000:policy/no-prod"), "{text}");
    let err = ops.describe_clusters().clusters("prod").send().await.unwrap_err();
    assert_eq!(code(&err), "AccessDeniedException");
    ops.describe_clusters().clusters("dev-a").send().await.unwrap();
    assert!(admin.list_tasks().cluster("prod").send().await.unwrap().task_arns().is_empty());

    // ecs:Describe* allows DescribeTasks and not RunTask (nor StopTask).
    let described = reader.describe_tasks().cluster("dev-a").tasks(&task).send().await.unwrap();
    assert_eq!(described.tasks().len(), 1);
    reader.list_clusters().send().await.unwrap();
    let err = reader.run_task().cluster("dev-a").task_definition("web").send().await.unwrap_err();
    assert_eq!(code(&err), "AccessDeniedException");
    assert!(message(&err).contains("ecs:RunTask"));
    let err = reader.stop_task().cluster("dev-a").task(&task).send().await.unwrap_err();
    assert_eq!(code(&err), "AccessDeniedException");
    assert_eq!(
        admin.list_tasks().cluster("dev-a").send().await.unwrap().task_arns(),
        std::slice::from_ref(&task)
    );

    dev.stop_task().cluster("dev-a").task(&task).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_auth_file_reloads_on_hangup_and_a_broken_one_changes_nothing() {
    let (server, dir) = start(&auth_file());
    let path = dir.path().join("auth.toml");
    let newcomer = ecs_client_as(&server.endpoint, "AKIDNEW", "new-secret");
    let err = newcomer.list_clusters().send().await.unwrap_err();
    assert_eq!(code(&err), "UnrecognizedClientException");

    // A file that does not parse is refused; the old one stays in force.
    std::fs::write(&path, "[[users]]\nname = \n").unwrap();
    server.hangup();
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.ecs().list_clusters().send().await.unwrap();

    let added = format!(
        "{}\n[[users]]\nname = \"new\"\nmanaged-policies = [\"AdministratorAccess\"]\n[[users.keys]]\naccess-key-id = \"AKIDNEW\"\nsecret-access-key = \"new-secret\"\n",
        auth_file().replace("[throttle]\nenabled = false\n", "")
    );
    std::fs::write(&path, added).unwrap();
    server.hangup();
    eventually(10, "the new key to work", || async { newcomer.list_clusters().send().await.ok() })
        .await;
    // Removing a key revokes it.
    std::fs::write(&path, auth_file()).unwrap();
    server.hangup();
    eventually(10, "the removed key to be refused", || async {
        let err = newcomer.list_clusters().send().await.err()?;
        (code(&err) == "UnrecognizedClientException").then_some(())
    })
    .await;
}

fn aws() -> String {
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv-test/bin/aws");
    if venv.exists() { venv.display().to_string() } else { "aws".to_owned() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_calls_fail_with_throttling_exception_and_the_cli_retries_them() {
    let throttled = auth_file().replace(
        "[throttle]\nenabled = false\n",
        "[throttle]\nenabled = true\n[throttle.limits]\ncluster-read = { burst = 2, sustained = 0.1 }\n",
    );
    let (server, _dir) = start(&throttled);
    let raw = server.raw();
    let mut codes = Vec::new();
    for _ in 0..3 {
        codes.push(raw.op("ListClusters", json!({})).await.error_type);
    }
    assert_eq!(codes, [None, None, Some("ThrottlingException".to_owned())]);
    let refused = raw.op("ListClusters", json!({})).await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.body["message"], json!("Rate exceeded"));
    // Another category has its own bucket; another key too.
    assert_eq!(raw.op("ListTaskDefinitions", json!({})).await.status, 200);
    ecs_client_as(&server.endpoint, "AKIDREADER", "reader-secret")
        .list_clusters()
        .send()
        .await
        .unwrap();

    // The AWS CLI retries a ThrottlingException and succeeds once the bucket refills (one call
    // per ten seconds; the CLI starts well within them).
    let output = tokio::task::spawn_blocking({
        let endpoint = server.endpoint.clone();
        move || {
            Command::new(aws())
                .args(["ecs", "list-clusters", "--debug", "--endpoint-url", &endpoint])
                .env("AWS_ACCESS_KEY_ID", ADMIN_KEY)
                .env("AWS_SECRET_ACCESS_KEY", ADMIN_SECRET)
                .env("AWS_DEFAULT_REGION", "us-east-1")
                .env("AWS_RETRY_MODE", "standard")
                .env("AWS_MAX_ATTEMPTS", "10")
                .output()
                .expect("running the AWS CLI")
        }
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "aws ecs list-clusters: {stderr}");
    assert!(stderr.contains("ThrottlingException"), "the CLI was never throttled: {stderr}");
    assert!(stderr.contains("Retry needed"), "the CLI did not retry: {stderr}");
}
