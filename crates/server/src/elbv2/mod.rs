//! The Elastic Load Balancing v2 API in its own protocol (AWS Query, version 2015-12-01): a
//! form-encoded `POST /` with `Action=` and `Version=`, answered in XML with the operation's
//! result wrapper, errors as ELB's `ErrorResponse` document with ELB's codes
//! (`LoadBalancerNotFound`, `ValidationError`, ...). Signed with SigV4 for
//! `elasticloadbalancing` and authorized as `elasticloadbalancing:<Action>` on the ARNs the
//! request names, like the ECS API.
//!
//! Requests are read, checked and answered through the botocore model (`api::query::elbv2`):
//! handlers take the input as JSON shaped as the model's input and return the output shape as
//! JSON.

mod listeners;
mod load_balancers;
mod shapes;
mod tags;
mod target_groups;

use std::borrow::Cow;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use api::ErrorCode;
use api::query::{Model, elbv2};

use crate::Ctx;

/// An ELB error: the model's exception shape (or `ValidationError`, which every query
/// operation may answer) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ElbError {
    pub(crate) exception: &'static str,
    pub(crate) message: String,
}

impl ElbError {
    pub(crate) fn new(exception: &'static str, message: impl Into<String>) -> ElbError {
        ElbError { exception, message: message.into() }
    }

    pub(crate) fn validation(message: impl Into<String>) -> ElbError {
        ElbError::new(VALIDATION, message)
    }

    pub(crate) fn config(message: impl Into<String>) -> ElbError {
        ElbError::new("InvalidConfigurationRequestException", message)
    }

    fn internal() -> ElbError {
        ElbError::new(INTERNAL, "An internal error has occurred")
    }
}

const VALIDATION: &str = "ValidationError";
const INTERNAL: &str = "InternalFailure";
const THROTTLING: &str = "Throttling";

impl From<crate::error::Error> for ElbError {
    fn from(error: crate::error::Error) -> ElbError {
        match error {
            crate::error::Error::Contention { .. } => {
                ElbError::new(THROTTLING, "Rate exceeded: the request kept conflicting with others")
            }
            crate::error::Error::InvalidState(message) => ElbError::config(message),
            error => {
                tracing::error!(error = %error, "An ELB request failed");
                ElbError::internal()
            }
        }
    }
}

/// The code and status of the shared errors (authentication, authorization, throttling) as
/// query services name them.
fn from_api(error: api::ApiError) -> (String, StatusCode, String) {
    let (code, status) = match error.code {
        ErrorCode::AccessDeniedException => ("AccessDenied", StatusCode::FORBIDDEN),
        ErrorCode::ThrottlingException => (THROTTLING, StatusCode::BAD_REQUEST),
        ErrorCode::MissingAuthenticationTokenException => {
            ("MissingAuthenticationToken", StatusCode::FORBIDDEN)
        }
        ErrorCode::ServerException => (INTERNAL, StatusCode::INTERNAL_SERVER_ERROR),
        ErrorCode::InvalidSignatureException => ("SignatureDoesNotMatch", StatusCode::FORBIDDEN),
        _ => ("InvalidClientTokenId", StatusCode::FORBIDDEN),
    };
    (code.to_owned(), status, error.message)
}

/// Whether a request without `X-Amz-Target` is an ELBv2 request: a form naming an `Action`
/// with ELBv2's `Version`.
pub(crate) fn is_elbv2(body: &[u8]) -> bool {
    crate::wire::is_query(body, &elbv2().api_version)
}

/// Serves one ELBv2 request.
pub(crate) async fn serve(
    ctx: &Ctx,
    request: &crate::access::Request<'_>,
    request_id: &str,
) -> Response {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(request.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let action =
        pairs.iter().find(|(k, _)| k == "Action").map(|(_, v)| v.clone()).unwrap_or_default();
    match run(ctx, request, &action, &pairs).await {
        Ok(output) => {
            answer(StatusCode::OK, elbv2().write_xml(&action, &output, request_id), request_id)
        }
        Err(Refusal::Elb(error)) => {
            let (code, status) = wire(elbv2(), &action, &error);
            tracing::debug!(action = %action, code, message = %error.message, "ELB request refused");
            answer(status, error_xml(code, &error.message, request_id), request_id)
        }
        Err(Refusal::Access(code, status, message)) => {
            answer(status, error_xml(&code, &message, request_id), request_id)
        }
    }
}

/// An exception's code and status on the wire; an exception the model does not list for the
/// operation is a bug (debug builds fail) and is answered as a validation error.
fn wire(model: &'static Model, action: &str, error: &ElbError) -> (&'static str, StatusCode) {
    match error.exception {
        VALIDATION => (VALIDATION, StatusCode::BAD_REQUEST),
        INTERNAL => (INTERNAL, StatusCode::INTERNAL_SERVER_ERROR),
        THROTTLING => (THROTTLING, StatusCode::BAD_REQUEST),
        "InvalidAction" => ("InvalidAction", StatusCode::BAD_REQUEST),
        exception => {
            debug_assert!(
                model.allows(action, exception),
                "{action} may not answer {exception} ({})",
                error.message
            );
            match model.error(exception) {
                Some((code, status)) if model.allows(action, exception) => {
                    (code, StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST))
                }
                _ => (VALIDATION, StatusCode::BAD_REQUEST),
            }
        }
    }
}

fn error_xml(code: &str, message: &str, request_id: &str) -> String {
    let kind = if code == INTERNAL { "Receiver" } else { "Sender" };
    format!(
        "<ErrorResponse xmlns=\"{}\"><Error><Type>{kind}</Type><Code>{}</Code><Message>{}</Message></Error><RequestId>{}</RequestId></ErrorResponse>",
        elbv2().xml_namespace.as_deref().unwrap_or_default(),
        api::query::escape(code),
        api::query::escape(message),
        api::query::escape(request_id)
    )
}

fn answer(status: StatusCode, body: String, request_id: &str) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

enum Refusal {
    Elb(ElbError),
    Access(String, StatusCode, String),
}

impl From<ElbError> for Refusal {
    fn from(error: ElbError) -> Refusal {
        Refusal::Elb(error)
    }
}

async fn run(
    ctx: &Ctx,
    request: &crate::access::Request<'_>,
    action: &str,
    pairs: &[(String, String)],
) -> Result<Value, Refusal> {
    let access = |e| {
        let (code, status, message) = from_api(e);
        Refusal::Access(code, status, message)
    };
    let identity = crate::access::authenticate_for(ctx, request, "elasticloadbalancing", action)
        .map_err(access)?;
    if !SERVED.contains(&action) {
        let shown: String = action.chars().take(100).collect();
        let known = elbv2().operation(action).is_some();
        return Err(ElbError::new(
            "InvalidAction",
            if known {
                format!("The action {shown} is not served by Berth's load balancer.")
            } else {
                format!("Could not find operation {shown} for version {}", elbv2().api_version)
            },
        )
        .into());
    }
    let input = elbv2()
        .parse_query(action, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .and_then(|input| elbv2().validate(action, &input).map(|()| input))
        .map_err(|invalid| ElbError::validation(invalid.0))?;
    if let Some(identity) = &identity {
        let mut arns = Vec::new();
        named_arns(&input, "", &mut arns);
        let resources: Vec<Cow<'_, str>> = arns.into_iter().map(Cow::Owned).collect();
        crate::access::authorize_action(
            ctx,
            identity,
            &format!("elasticloadbalancing:{action}"),
            resources,
        )
        .map_err(access)?;
    }
    crate::vpc::ensure(ctx).await.map_err(ElbError::from)?;
    let output = match action {
        "CreateLoadBalancer" => load_balancers::create(ctx, &input).await?,
        "DescribeLoadBalancers" => load_balancers::describe(ctx, &input).await?,
        "DeleteLoadBalancer" => load_balancers::delete(ctx, &input).await?,
        "DescribeLoadBalancerAttributes" => load_balancers::attributes(ctx, &input).await?,
        "ModifyLoadBalancerAttributes" => load_balancers::modify_attributes(ctx, &input).await?,
        "SetSecurityGroups" => load_balancers::set_security_groups(ctx, &input).await?,
        "CreateTargetGroup" => target_groups::create(ctx, &input).await?,
        "DescribeTargetGroups" => target_groups::describe(ctx, &input).await?,
        "ModifyTargetGroup" => target_groups::modify(ctx, &input).await?,
        "DeleteTargetGroup" => target_groups::delete(ctx, &input).await?,
        "DescribeTargetGroupAttributes" => target_groups::attributes(ctx, &input).await?,
        "ModifyTargetGroupAttributes" => target_groups::modify_attributes(ctx, &input).await?,
        "RegisterTargets" => target_groups::register(ctx, &input).await?,
        "DeregisterTargets" => target_groups::deregister(ctx, &input).await?,
        "DescribeTargetHealth" => target_groups::health(ctx, &input).await?,
        "CreateListener" => listeners::create(ctx, &input).await?,
        "DescribeListeners" => listeners::describe(ctx, &input).await?,
        "ModifyListener" => listeners::modify(ctx, &input).await?,
        "DeleteListener" => listeners::delete(ctx, &input).await?,
        "CreateRule" => listeners::create_rule(ctx, &input).await?,
        "DescribeRules" => listeners::describe_rules(ctx, &input).await?,
        "ModifyRule" => listeners::modify_rule(ctx, &input).await?,
        "DeleteRule" => listeners::delete_rule(ctx, &input).await?,
        "SetRulePriorities" => listeners::set_priorities(ctx, &input).await?,
        "AddTags" => tags::add(ctx, &input).await?,
        "RemoveTags" => tags::remove(ctx, &input).await?,
        "DescribeTags" => tags::describe(ctx, &input).await?,
        "DescribeAccountLimits" => tags::limits(&input)?,
        "DescribeSSLPolicies" => tags::ssl_policies(&input)?,
        _ => return Err(ElbError::internal().into()),
    };
    Ok(output)
}

/// The actions served; any other is answered with `InvalidAction`.
pub(crate) const SERVED: &[&str] = &[
    "AddTags",
    "CreateListener",
    "CreateLoadBalancer",
    "CreateRule",
    "CreateTargetGroup",
    "DeleteListener",
    "DeleteLoadBalancer",
    "DeleteRule",
    "DeleteTargetGroup",
    "DeregisterTargets",
    "DescribeAccountLimits",
    "DescribeListeners",
    "DescribeLoadBalancerAttributes",
    "DescribeLoadBalancers",
    "DescribeRules",
    "DescribeSSLPolicies",
    "DescribeTags",
    "DescribeTargetGroupAttributes",
    "DescribeTargetGroups",
    "DescribeTargetHealth",
    "ModifyListener",
    "ModifyLoadBalancerAttributes",
    "ModifyRule",
    "ModifyTargetGroup",
    "ModifyTargetGroupAttributes",
    "RegisterTargets",
    "RemoveTags",
    "SetRulePriorities",
    "SetSecurityGroups",
];

/// Every ARN a request names (members named `…Arn` or lists named `…Arns`), for policies.
fn named_arns(value: &Value, member: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (name, v) in members {
                named_arns(v, name, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                let inner = if member.ends_with("Arns") { "Arn" } else { member };
                named_arns(item, inner, out);
            }
        }
        Value::String(s) if member.ends_with("Arn") && s.starts_with("arn:") => {
            out.push(s.clone());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_served_action_is_in_the_model() {
        for action in SERVED {
            assert!(elbv2().operation(action).is_some(), "{action}");
        }
    }

    #[test]
    fn policies_see_every_arn_a_request_names() {
        let input = serde_json::json!({"ListenerArn": "arn:l", "DefaultActions": [
            {"Type": "forward", "TargetGroupArn": "arn:t",
             "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "arn:u"}]}}],
            "ResourceArns": ["arn:r"], "Name": "arn:not-an-arn-member"});
        let mut arns = Vec::new();
        named_arns(&input, "", &mut arns);
        arns.sort();
        assert_eq!(arns, ["arn:l", "arn:r", "arn:t", "arn:u"]);
    }
}
