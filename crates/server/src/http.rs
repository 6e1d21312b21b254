//! The ECS JSON 1.1 protocol over HTTP.
//!
//! Every operation is `POST /` with the operation named in `X-Amz-Target` and a JSON object
//! body. Responses carry `x-amzn-RequestId`; errors carry the code both in the
//! `X-Amzn-Errortype` header (read by smithy SDKs) and in the body's `__type` (read by
//! botocore), with the status the code implies. Requests for other AWS services get their
//! protocol's error from `other_services`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::Value;

use api::{ApiError, ErrorCode, Operation};

use crate::Ctx;
use crate::caller::{Call, Caller};
use crate::dispatch::Answer;
use crate::wire::{request_id, respond, respond_bytes};

/// The largest request body accepted. ECS's largest requests (a task definition at its 64 KiB
/// quota, with tags) fit comfortably.
const MAX_BODY: usize = 1024 * 1024;

/// The HTTP service of the control plane.
pub fn router(ctx: Ctx) -> Router {
    Router::new()
        .route("/", post(handle))
        .route("/service/{service}/operation/{operation}", post(crate::other_services::rpc_v2))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/status", get(status))
        .route("/metrics", get(metrics))
        .route(api::agent::POLL_PATH, post(crate::agent_channel::poll))
        .route(api::agent::REPORT_PATH, post(crate::agent_channel::report))
        .route(api::agent::LOGS_PATH, post(crate::agent_channel::logs))
        .route(api::agent::NETWORK_PATH, post(crate::agent_channel::network))
        .route(api::lb::POLL_PATH, post(crate::lb_channel::poll))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), read_body))
        .with_state(ctx)
}

/// Reads a request's whole body before its handler runs: at most [`MAX_BODY`] bytes, within
/// the body timeout of `[connections]`. A body over the limit is answered 413 and one that
/// stops arriving 408, in the ECS error shape, and the connection is closed: the rest of the
/// body is never read.
async fn read_body(State(ctx): State<Ctx>, request: Request, next: Next) -> Response {
    use http_body_util::BodyExt as _;
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let too_large = || {
        ApiError::new(
            ErrorCode::RequestEntityTooLargeException,
            format!("The request body is larger than the {MAX_BODY} bytes accepted."),
        )
    };
    if declared.is_some_and(|length| length > MAX_BODY as u64) {
        return refuse_body(too_large());
    }
    let timeout = ctx.config().connections.body_timeout;
    let collected =
        tokio::time::timeout(timeout, http_body_util::Limited::new(body, MAX_BODY).collect());
    match collected.await {
        Ok(Ok(collected)) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(collected.to_bytes()))).await
        }
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            refuse_body(too_large())
        }
        Ok(Err(error)) => {
            tracing::debug!(error = %error, "A request body could not be read");
            refuse_body(ApiError::new(
                ErrorCode::SerializationException,
                "The request body could not be read.",
            ))
        }
        Err(_) => refuse_body(ApiError::new(
            ErrorCode::RequestTimeoutException,
            format!("The request body did not arrive within {} seconds.", timeout.as_secs_f64()),
        )),
    }
}

/// Answers a request whose body was not read, and closes the connection.
fn refuse_body(error: ApiError) -> Response {
    let status = StatusCode::from_u16(error.code.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = respond(status, &request_id(), Some(error.code), &error.body());
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// `GET /status`: figures that tell an operator (or a benchmark) whether the control plane has
/// caught up after a start: how many agents are connected and how many full service scheduler
/// passes ran; also the store's revision, transaction and commit counts, and the agent
/// channel's request counts, and each background worker's state and counters. No names or
/// records, so it needs no signature, like `/healthz`.
/// `GET /metrics`: Fargate usage as Prometheus counters, when `[fargate] usage-metrics` is on.
async fn metrics(State(ctx): State<Ctx>) -> Response {
    if !ctx.config().fargate.usage_metrics {
        return (StatusCode::NOT_FOUND, "Metrics are off: set [fargate] usage-metrics = true.\n")
            .into_response();
    }
    match crate::fargate::usage_metrics(&ctx).await {
        Ok(text) => (
            StatusCode::OK,
            [(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::warn!(error = %error.message, "Rendering the metrics failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn status(State(ctx): State<Ctx>) -> Response {
    let store = ctx.store().stats();
    let body = serde_json::json!({
        "connectedAgents": ctx.liveness().connected_count(),
        "servicePasses": crate::service_scheduler::passes(&ctx),
        "revision": ctx.state().revision(),
        "agentChannel": ctx.inner.agent_traffic.to_json(),
        "store": {"txns": store.txns, "commits": store.commits},
        "workers": ctx.inner.workers.reports(),
        // The load balancer: its nodes heard from lately, and their counters summed per load
        // balancer and target group since each node started.
        "loadBalancer": {
            "nodes": ctx.balancing().health.live_nodes(ctx.clock().now_millis()),
            "counters": ctx.balancing().health.metrics(),
        },
    });
    respond(StatusCode::OK, &request_id(), None, &body)
}

async fn handle(
    State(ctx): State<Ctx>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = request_id();
    let started = tokio::time::Instant::now();
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or("");
    let signed: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| {
            (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned())
        })
        .collect();
    let request = crate::access::Request {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or(""),
        headers: &signed,
        body: &body,
    };
    if target.starts_with(crate::acm::TARGET_PREFIX) {
        return crate::acm::serve(&ctx, &request, target, &request_id).await;
    }
    if target.is_empty() && crate::elbv2::is_elbv2(&body) {
        return crate::elbv2::serve(&ctx, &request, &request_id).await;
    }
    if target.is_empty() && crate::ec2::is_ec2(&body) {
        return crate::ec2::serve(&ctx, &request, &request_id).await;
    }
    // A query-protocol client of another AWS service reads only an XML error.
    if target.is_empty()
        && let Some(answer) = crate::other_services::query_answer(&headers, &body, &request_id)
    {
        return answer;
    }
    let mut call = Call::new(&ctx, Caller::from_headers(&ctx, &headers));
    let result = serve(&mut call, target, &request).await;
    let elapsed = started.elapsed();
    match result {
        Ok(value) => {
            tracing::debug!(
                target,
                request_id,
                elapsed_us = elapsed.as_micros() as u64,
                "Request served"
            );
            let mut response = match value {
                Answer::Value(value) => respond(StatusCode::OK, &request_id, None, &value),
                Answer::Json(json) => respond_bytes(StatusCode::OK, &request_id, None, json),
            };
            for (name, value) in call.response_headers.into_inner() {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    response.headers_mut().insert(name, value);
                }
            }
            response
        }
        Err(error) => {
            if error.code == ErrorCode::ServerException {
                tracing::error!(target, request_id, "Request failed with a server error");
            } else {
                tracing::debug!(target, request_id, code = %error.code, message = %error.message, "Request refused");
            }
            let status =
                StatusCode::from_u16(error.code.status()).unwrap_or(StatusCode::BAD_REQUEST);
            respond(status, &request_id, Some(error.code), &error.body())
        }
    }
}

/// The operations agents call with their cluster's token instead of a signature.
fn agent_operation(op: Operation) -> bool {
    matches!(
        op,
        Operation::RegisterContainerInstance
            | Operation::SubmitTaskStateChange
            | Operation::SubmitContainerStateChange
            | Operation::SubmitAttachmentStateChanges
            | Operation::DiscoverPollEndpoint
    )
}

fn parse_body(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            ErrorCode::SerializationException,
            format!("The request body is not valid JSON: {e}."),
        )
    })
}

/// Serves one request: which operation, who calls and whether they may, what the body says,
/// then the operation itself.
async fn serve(
    call: &mut Call<'_>,
    target: &str,
    request: &crate::access::Request<'_>,
) -> Result<Answer, ApiError> {
    if let Some(name) = target.strip_prefix(api::berth::TARGET_PREFIX) {
        let op = api::berth::BerthOperation::from_name(name).ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownOperationException,
                format!("Unknown operation {target}."),
            )
        })?;
        let identity = crate::access::authenticate(call.ctx, request, name)?;
        let value = parse_body(request.body)?;
        if let Some(identity) = &identity {
            crate::access::authorize(call.ctx, identity, name, &value)?;
        }
        call.caller.identity = identity;
        return crate::dispatch::dispatch_berth(call, op, value).await.map(Answer::Value);
    }
    let op = parse_target(target)?;
    // An agent with its cluster's or instance's token needs no signature for the agent
    // operations; anything else needs one (a stolen agent token opens nothing else).
    let identity = if call.caller.agent_cluster.is_some() && agent_operation(op) {
        call.require_registered_instance()?;
        None
    } else {
        crate::access::authenticate(call.ctx, request, op.name())?
    };
    let value = parse_body(request.body)?;
    api::validate::validate_input(op, &value)?;
    if let Some(identity) = &identity {
        crate::access::authorize(call.ctx, identity, op.name(), &value)?;
    }
    call.caller.identity = identity;
    crate::dispatch::dispatch(call, op, value).await
}

fn parse_target(target: &str) -> Result<Operation, ApiError> {
    if target.is_empty() {
        return Err(ApiError::new(
            ErrorCode::UnknownOperationException,
            "The X-Amz-Target header is missing.",
        ));
    }
    target.strip_prefix(api::TARGET_PREFIX).and_then(Operation::from_name).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnknownOperationException,
            format!("Unknown operation {target}: Berth serves ECS, Elastic Load Balancing v2, ACM and the EC2 calls of its VPC, not this."),
        )
    })
}
