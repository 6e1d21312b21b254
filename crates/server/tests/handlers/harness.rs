//! The in-process control plane the handler tests drive: a [`server::Ctx`] over a
//! `MemoryStore` and a `ManualClock`, served by [`server::router`] and called with
//! `tower::ServiceExt::oneshot`, so each request goes through the whole HTTP layer (target,
//! body, validation, dispatch, error shape) without a socket.
//!
//! Access control is off: requests act as the account's root user, as in the handlers' unit
//! tests. The context does not lead (`Ctx::set_leader(false)`), so its reconcilers (service
//! scheduler, reaper) change nothing: every write to the store comes from the request under
//! test, and a test can check that a refused request wrote nothing by comparing store
//! revisions.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};
use tower::ServiceExt as _;

use server::clock::ManualClock;
use server::config::{Config, RawConfig};
use server::{Ctx, ServeOptions};

/// The target prefix of ECS operations.
pub(crate) const ECS: &str = "AmazonEC2ContainerServiceV20141113.";
/// The target prefix of Berth's own operations.
pub(crate) const BERTH: &str = "BerthV1.";
/// The instant the clock starts at (epoch milliseconds).
pub(crate) const START_MILLIS: i64 = 1_700_000_000_000;
/// The ARN prefix of this account and region.
pub(crate) const ARN: &str = "arn:aws:ecs:us-east-1:000000000000:";

/// An answer as seen on the wire.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Value,
    /// The `X-Amzn-Errortype` header.
    pub(crate) error_type: Option<String>,
    /// The `x-berth-instance-token` header a registration answers with.
    pub(crate) instance_token: Option<String>,
}

impl Reply {
    /// The body of a successful answer; panics with the answer otherwise.
    #[track_caller]
    pub(crate) fn ok(self) -> Value {
        assert_eq!(self.status, 200, "expected success, got {self:?}");
        assert_eq!(self.error_type, None, "{self:?}");
        self.body
    }

    /// Asserts a refusal with `code` (in the header and the body's `__type`), the status that
    /// code implies, and a message containing `fragment`.
    #[track_caller]
    pub(crate) fn refused(&self, code: &str, fragment: &str) {
        let status = match code {
            "ServerException" => 500,
            "MissingAuthenticationTokenException"
            | "UnrecognizedClientException"
            | "InvalidSignatureException" => 403,
            "RequestEntityTooLargeException" => 413,
            "RequestTimeoutException" => 408,
            _ => 400,
        };
        assert_eq!(
            (self.status, self.error_type.as_deref()),
            (status, Some(code)),
            "expected {code}, got {self:?}"
        );
        assert_eq!(self.body["__type"], code, "{self:?}");
        let message = self.message();
        assert!(message.contains(fragment), "{message:?} should contain {fragment:?}");
    }

    /// An `InvalidParameterException` whose message contains `fragment`.
    #[track_caller]
    pub(crate) fn invalid(&self, fragment: &str) {
        self.refused("InvalidParameterException", fragment);
    }

    /// The error message.
    pub(crate) fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or_default()
    }
}

/// A container instance registered by [`Harness::register_instance`].
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub(crate) arn: String,
    pub(crate) id: String,
    /// The instance's own agent token.
    pub(crate) token: String,
}

pub(crate) struct Harness {
    pub(crate) ctx: Ctx,
    pub(crate) clock: ManualClock,
    router: axum::Router,
}

impl Harness {
    /// A control plane with the default configuration.
    pub(crate) async fn new() -> Harness {
        Harness::with_config(RawConfig::default()).await
    }

    /// A control plane with the given configuration (quotas, container policies).
    pub(crate) async fn with_config(raw: RawConfig) -> Harness {
        let config = Config::try_from(raw).expect("a valid test configuration");
        let options = ServeOptions {
            agent_secret: b"handler-tests".to_vec(),
            agent_timeout: Duration::from_secs(30),
            advertise_url: "http://127.0.0.1:8080".into(),
            stopped_task_retention: Duration::from_secs(3600),
            log_bytes_per_container: 1 << 20,
            task_settle_time: Duration::from_secs(40),
            access: None,
        };
        let clock = ManualClock::new(START_MILLIS);
        let store = Arc::new(store::MemoryStore::new());
        let ctx = Ctx::start(config, options, store, Arc::new(clock.clone()))
            .await
            .expect("the control plane starts");
        ctx.set_leader(false);
        let router = server::router(ctx.clone());
        Harness { ctx, clock, router }
    }

    /// A `GET` of `path`: its status and text.
    pub(crate) async fn get(&self, path: &str) -> (u16, String) {
        let request = Request::get(path).body(Body::empty()).expect("a valid request");
        let response = self.router.clone().oneshot(request).await.expect("the router answers");
        let status = response.status().as_u16();
        let bytes =
            axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("the whole body");
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Sends a `POST /` with the given headers and body, as a client would.
    pub(crate) async fn send(&self, headers: &[(&str, &str)], body: impl Into<Body>) -> Reply {
        let mut request = Request::post("/").header("content-type", "application/x-amz-json-1.1");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(body.into()).expect("a valid request");
        let response = self.router.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let header = |name: &str| {
            response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
        };
        let error_type = header("x-amzn-errortype");
        let instance_token = header(api::agent::INSTANCE_TOKEN_HEADER);
        assert_eq!(
            header("content-type").as_deref(),
            Some("application/x-amz-json-1.1"),
            "every answer is ECS JSON"
        );
        assert!(header("x-amzn-requestid").is_some(), "every answer has a request id");
        let bytes =
            axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("the whole body");
        let body = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!("the body is not JSON ({e}): {:?}", String::from_utf8_lossy(&bytes))
        });
        Reply { status: status.as_u16(), body, error_type, instance_token }
    }

    /// Sends an ELBv2 query request (`Action`, version 2015-12-01 and `params`); returns the
    /// status and the XML.
    pub(crate) async fn elb(&self, action: &str, params: &[(&str, &str)]) -> (u16, String) {
        let (status, content_type, xml) = self.query("2015-12-01", action, params).await;
        assert_eq!(content_type.as_deref(), Some("text/xml"), "every ELB answer is XML");
        (status, xml)
    }

    /// The id of the VPC, as EC2's DescribeVpcs shows it.
    pub(crate) async fn vpc_id(&self) -> String {
        let (status, _, xml) = self.query("2016-11-15", "DescribeVpcs", &[]).await;
        assert_eq!(status, 200, "{xml}");
        let start = xml.find("<vpcId>").expect("a VPC") + "<vpcId>".len();
        xml[start..start + xml[start..].find('<').expect("closed")].to_owned()
    }

    /// Sends a query-protocol request (form-encoded `Action`, `Version` and `params`); returns
    /// the status, the content type and the body.
    pub(crate) async fn query(
        &self,
        version: &str,
        action: &str,
        params: &[(&str, &str)],
    ) -> (u16, Option<String>, String) {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("Action", action).append_pair("Version", version);
        for (name, value) in params {
            form.append_pair(name, value);
        }
        let request = Request::post("/")
            .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
            .body(Body::from(form.finish()))
            .expect("a valid request");
        let response = self.router.clone().oneshot(request).await.expect("the router answers");
        let status = response.status().as_u16();
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let bytes =
            axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("the whole body");
        (status, content_type, String::from_utf8(bytes.to_vec()).expect("UTF-8"))
    }

    /// Calls an ECS operation.
    pub(crate) async fn call(&self, op: &str, body: Value) -> Reply {
        let target = format!("{ECS}{op}");
        self.send(&[("x-amz-target", &target)], body.to_string()).await
    }

    /// Calls an ECS operation carrying an agent token.
    pub(crate) async fn call_with_token(&self, op: &str, body: Value, token: &str) -> Reply {
        let target = format!("{ECS}{op}");
        let headers = [("x-amz-target", target.as_str()), (api::agent::TOKEN_HEADER, token)];
        self.send(&headers, body.to_string()).await
    }

    /// Calls one of Berth's own operations.
    pub(crate) async fn berth(&self, op: &str, body: Value) -> Reply {
        let target = format!("{BERTH}{op}");
        self.send(&[("x-amz-target", &target)], body.to_string()).await
    }

    /// The agent token of `cluster`, derived as the control plane derives it.
    pub(crate) fn agent_token(&self, cluster: &str) -> String {
        server::caller::agent_token(&self.ctx.options().agent_secret, cluster)
    }

    /// The store's revision: unchanged means nothing was written.
    pub(crate) fn revision(&self) -> i64 {
        self.ctx.store().revision()
    }

    /// Moves the clock on.
    pub(crate) fn advance(&self, duration: Duration) {
        self.clock.advance(duration.as_millis() as i64);
    }

    // What most tests set up first.

    pub(crate) async fn create_cluster(&self, name: &str) -> Value {
        self.call("CreateCluster", json!({"clusterName": name})).await.ok()["cluster"].clone()
    }

    /// Registers a revision of `family`: one container, `busybox`, 64 MiB. Returns its ARN.
    pub(crate) async fn register_definition(&self, family: &str) -> String {
        let body = json!({"family": family, "containerDefinitions": [
            {"name": "app", "image": "busybox", "memory": 64}]});
        self.register_definition_with(body).await
    }

    /// Registers the given definition and returns its ARN.
    pub(crate) async fn register_definition_with(&self, body: Value) -> String {
        let reply = self.call("RegisterTaskDefinition", body).await.ok();
        reply["taskDefinition"]["taskDefinitionArn"].as_str().expect("an ARN").to_owned()
    }

    /// Registers a container instance in `cluster` as its agent would (with the cluster's
    /// agent token): 4 vCPU, 4 GiB, an identity document in zone `us-east-1a`.
    pub(crate) async fn register_instance(&self, cluster: &str) -> Instance {
        let reply = self
            .call_with_token(
                "RegisterContainerInstance",
                registration(cluster),
                &self.agent_token(cluster),
            )
            .await;
        let token = reply.instance_token.clone().expect("a registration returns a token");
        let body = reply.ok();
        let arn = body["containerInstance"]["containerInstanceArn"].as_str().unwrap().to_owned();
        let id = arn.rsplit('/').next().unwrap().to_owned();
        Instance { arn, id, token }
    }

    /// Runs one task of `definition` in `cluster` (which must have an instance). Returns the
    /// task's ARN.
    pub(crate) async fn run_task(&self, cluster: &str, definition: &str) -> String {
        let body = self
            .call("RunTask", json!({"cluster": cluster, "taskDefinition": definition}))
            .await
            .ok();
        assert_eq!(body["failures"], json!([]), "{body}");
        body["tasks"][0]["taskArn"].as_str().expect("a task").to_owned()
    }

    /// Creates a REPLICA service with the given desired count. Returns its ARN.
    pub(crate) async fn create_service(
        &self,
        cluster: &str,
        name: &str,
        definition: &str,
        desired: i64,
    ) -> String {
        let body = self
            .call(
                "CreateService",
                json!({"cluster": cluster, "serviceName": name, "taskDefinition": definition,
                    "desiredCount": desired}),
            )
            .await
            .ok();
        body["service"]["serviceArn"].as_str().expect("a service").to_owned()
    }

    /// The cluster as DescribeClusters shows it with everything included.
    pub(crate) async fn describe_cluster(&self, name: &str) -> Value {
        let body = self
            .call(
                "DescribeClusters",
                json!({"clusters": [name], "include": ["SETTINGS", "CONFIGURATIONS", "TAGS"]}),
            )
            .await
            .ok();
        body["clusters"][0].clone()
    }

    /// The service as DescribeServices shows it.
    pub(crate) async fn describe_service(&self, cluster: &str, name: &str) -> Value {
        let body = self
            .call(
                "DescribeServices",
                json!({"cluster": cluster, "services": [name], "include": ["TAGS"]}),
            )
            .await
            .ok();
        body["services"][0].clone()
    }

    /// The task as DescribeTasks shows it.
    pub(crate) async fn describe_task(&self, cluster: &str, task: &str) -> Value {
        let body = self
            .call(
                "DescribeTasks",
                json!({"cluster": cluster, "tasks": [task], "include": ["TAGS"]}),
            )
            .await
            .ok();
        body["tasks"][0].clone()
    }

    /// The container instance as DescribeContainerInstances shows it.
    pub(crate) async fn describe_instance(&self, cluster: &str, instance: &str) -> Value {
        let body = self
            .call(
                "DescribeContainerInstances",
                json!({"cluster": cluster, "containerInstances": [instance], "include": ["TAGS"]}),
            )
            .await
            .ok();
        body["containerInstances"][0].clone()
    }

    /// Calls `op` with `body`, expects the refusal `code` with `fragment` in its message, and
    /// checks that the store did not change.
    #[track_caller]
    pub(crate) fn refuses<'a>(
        &'a self,
        op: &'a str,
        body: Value,
        code: &'a str,
        fragment: &'a str,
    ) -> impl std::future::Future<Output = Reply> + 'a {
        let caller = std::panic::Location::caller();
        async move {
            let before = self.revision();
            let reply = self.call(op, body.clone()).await;
            if reply.error_type.as_deref() != Some(code) || !reply.message().contains(fragment) {
                panic!("{op} {body} at {caller}: expected {code} ({fragment:?}), got {reply:?}");
            }
            reply.refused(code, fragment);
            assert_eq!(self.revision(), before, "{op} {body} at {caller}: a refusal wrote");
            reply
        }
    }

    /// [`Harness::refuses`] for an `InvalidParameterException`.
    #[track_caller]
    pub(crate) fn rejects<'a>(
        &'a self,
        op: &'a str,
        body: Value,
        fragment: &'a str,
    ) -> impl std::future::Future<Output = Reply> + 'a {
        self.refuses(op, body, "InvalidParameterException", fragment)
    }
}

/// What an agent registers: resources, an identity document, a version.
pub(crate) fn registration(cluster: &str) -> Value {
    let document = json!({"instanceId": "i-0123456789abcdef0", "availabilityZone": "us-east-1a",
        "instanceType": "m5.xlarge", "region": "us-east-1"});
    json!({
        "cluster": cluster,
        "instanceIdentityDocument": document.to_string(),
        "totalResources": [
            {"name": "CPU", "type": "INTEGER", "integerValue": 4096},
            {"name": "MEMORY", "type": "INTEGER", "integerValue": 4096},
            {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22"]},
            {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": []}
        ],
        "versionInfo": {"agentVersion": "0.1.0", "agentHash": "test", "dockerVersion": "sim"}
    })
}

/// An ARN of this account and region.
pub(crate) fn arn(resource: &str) -> String {
    format!("{ARN}{resource}")
}
