//! The load-balancer channel: nodes of the data plane (`berth lb`, or the one inside
//! `berth dev`) long-poll `POST /lb/v1/poll` for the configuration to serve, and report on
//! each poll the health they see of every target and the listeners they could not bind
//! (`api::lb`). A node presents the load-balancer token (`berth lb-token`).

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use api::lb::{PollRequest, TOKEN_HEADER};

use crate::Ctx;

/// The longest a poll waits for a change.
const MAX_WAIT: Duration = Duration::from_secs(30);
const DEFAULT_WAIT: Duration = Duration::from_secs(20);

pub(crate) async fn poll(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let token = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !crate::caller::verify_lb_token(&ctx.options().agent_secret, token) {
        return (
            StatusCode::FORBIDDEN,
            "a load-balancer node must present the load-balancer token",
        )
            .into_response();
    }
    let request: PollRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return (StatusCode::BAD_REQUEST, format!("not a poll: {e}")).into_response(),
    };
    let balancing = ctx.balancing();
    balancing.health.report(
        &request.node,
        ctx.clock().now_millis(),
        request.health,
        request.listener_errors,
        request.metrics,
    );
    let wait = request
        .wait_seconds
        .map_or(DEFAULT_WAIT, |s| Duration::from_secs(u64::from(s)))
        .min(MAX_WAIT);
    let mut changes = balancing.changes();
    if u64::try_from(*changes.borrow_and_update()).ok() == Some(request.revision) {
        let _ = tokio::time::timeout(wait, changes.changed()).await;
    }
    let revision = u64::try_from(balancing.revision()).unwrap_or_default();
    match crate::balancing::config(&ctx, revision).await {
        Ok(config) => match serde_json::to_vec(&config) {
            Ok(body) => {
                ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
            }
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Err(error) => {
            tracing::error!(error = %error, "Building the load balancer's configuration failed");
            (StatusCode::SERVICE_UNAVAILABLE, "the configuration could not be read").into_response()
        }
    }
}
