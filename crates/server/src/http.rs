//! The ECS JSON 1.1 protocol over HTTP.
//!
//! Every operation is `POST /` with the operation named in `X-Amz-Target` and a JSON object
//! body. Responses carry `x-amzn-RequestId`; errors carry the code both in the
//! `X-Amzn-Errortype` header (read by smithy SDKs) and in the body's `__type` (read by
//! botocore), with the status the code implies.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

use api::{ApiError, ErrorCode, Operation};

use crate::Ctx;
use crate::caller::{Call, Caller};

/// The largest request body accepted. ECS's largest requests (a task definition at its 64 KiB
/// quota, with tags) fit comfortably.
const MAX_BODY: usize = 1024 * 1024;

/// The HTTP service of the control plane.
pub fn router(ctx: Ctx) -> Router {
    Router::new()
        .route("/", post(handle))
        .route("/healthz", get(|| async { "ok\n" }))
        .route(api::agent::POLL_PATH, post(crate::agent_channel::poll))
        .route(api::agent::REPORT_PATH, post(crate::agent_channel::report))
        .route(api::agent::LOGS_PATH, post(crate::agent_channel::logs))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(ctx)
}

async fn handle(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let started = tokio::time::Instant::now();
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or("");
    let call = Call { ctx: &ctx, caller: caller(&ctx, &headers) };
    let result = serve(&call, target, &body).await;
    let elapsed = started.elapsed();
    match result {
        Ok(value) => {
            tracing::debug!(
                target,
                request_id,
                elapsed_us = elapsed.as_micros() as u64,
                "Request served"
            );
            respond(StatusCode::OK, &request_id, None, &value)
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

/// The identity a request carries.
pub(crate) fn caller(ctx: &Ctx, headers: &HeaderMap) -> Caller {
    let agent_cluster = headers
        .get(api::agent::TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|token| crate::caller::verify_agent_token(&ctx.options().agent_secret, token));
    Caller { agent_cluster }
}

async fn serve(call: &Call<'_>, target: &str, body: &[u8]) -> Result<Value, ApiError> {
    if let Some(name) = target.strip_prefix(api::berth::TARGET_PREFIX) {
        let op = api::berth::BerthOperation::from_name(name).ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownOperationException,
                format!("Unknown operation {target}."),
            )
        })?;
        let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
            Value::Object(Default::default())
        } else {
            serde_json::from_slice(body).map_err(|e| {
                ApiError::new(
                    ErrorCode::SerializationException,
                    format!("The request body is not valid JSON: {e}."),
                )
            })?
        };
        return crate::dispatch::dispatch_berth(call, op, value).await;
    }
    let op = parse_target(target)?;
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body).map_err(|e| {
            ApiError::new(
                ErrorCode::SerializationException,
                format!("The request body is not valid JSON: {e}."),
            )
        })?
    };
    api::validate::validate_input(op, &value)?;
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
        ApiError::new(ErrorCode::UnknownOperationException, format!("Unknown operation {target}."))
    })
}

pub(crate) fn respond(
    status: StatusCode,
    request_id: &str,
    code: Option<ErrorCode>,
    body: &Value,
) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(api::CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    if let Some(code) = code {
        headers.insert("x-amzn-errortype", HeaderValue::from_static(code.as_str()));
    }
    response
}
