//! The part of the Amazon EC2 API that describes the VPC `awsvpc` tasks live in, in EC2's own
//! query protocol: a form-encoded `POST /` with `Action=` and `Version=2016-11-15`, answered
//! in XML (`<ActionResponse xmlns=…><requestId>…`), errors as EC2's
//! `<Response><Errors><Error><Code>…` document. Signed with SigV4 and authorized against the
//! caller's policies (`ec2:<Action>`) like the ECS API.
//!
//! Served: DescribeVpcs, DescribeSubnets, DescribeSecurityGroups, CreateSecurityGroup,
//! DeleteSecurityGroup, Authorize/RevokeSecurityGroupIngress and -Egress. Any other action is
//! answered with EC2's `InvalidAction`.

mod describe;
mod form;
mod groups;
mod xml;

use std::borrow::Cow;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use api::ErrorCode;

use crate::Ctx;
use form::Form;
use xml::Xml;

/// The EC2 API version clients send, and the namespace of its answers.
pub(crate) const VERSION: &str = "2016-11-15";
const NAMESPACE: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";

/// An EC2 error: its code (`InvalidGroup.NotFound`, ...), message and HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ec2Error {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) status: StatusCode,
}

impl Ec2Error {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Ec2Error {
        Ec2Error { code, message: message.into(), status: StatusCode::BAD_REQUEST }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Ec2Error {
        Ec2Error::new("InvalidParameterValue", message)
    }

    pub(crate) fn missing(name: &str) -> Ec2Error {
        Ec2Error::new("MissingParameter", format!("The request must contain the parameter {name}"))
    }

    fn internal() -> Ec2Error {
        Ec2Error {
            code: "InternalError",
            message: "An internal error has occurred".to_owned(),
            status: StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<crate::error::Error> for Ec2Error {
    fn from(error: crate::error::Error) -> Ec2Error {
        tracing::error!(error = %error, "An EC2 request failed");
        match error {
            crate::error::Error::Contention { .. } => Ec2Error {
                code: "RequestLimitExceeded",
                message: "Request limit exceeded.".to_owned(),
                status: StatusCode::SERVICE_UNAVAILABLE,
            },
            _ => Ec2Error::internal(),
        }
    }
}

/// An ECS-shaped error of the shared parts (authentication, authorization, throttling) as
/// EC2 names it.
fn from_api(error: api::ApiError) -> Ec2Error {
    let (code, status) = match error.code {
        ErrorCode::AccessDeniedException => ("UnauthorizedOperation", StatusCode::FORBIDDEN),
        ErrorCode::ThrottlingException => ("RequestLimitExceeded", StatusCode::SERVICE_UNAVAILABLE),
        ErrorCode::MissingAuthenticationTokenException => {
            ("MissingAuthenticationToken", StatusCode::UNAUTHORIZED)
        }
        ErrorCode::ServerException => ("InternalError", StatusCode::INTERNAL_SERVER_ERROR),
        _ => ("AuthFailure", StatusCode::UNAUTHORIZED),
    };
    Ec2Error { code, message: error.message, status }
}

/// Whether a request without `X-Amz-Target` is an EC2 query request: a form naming an
/// `Action` with EC2's `Version`.
pub(crate) fn is_ec2(body: &[u8]) -> bool {
    crate::wire::is_query(body, VERSION)
}

/// Serves one EC2 request.
pub(crate) async fn serve(
    ctx: &Ctx,
    request: &crate::access::Request<'_>,
    request_id: &str,
) -> Response {
    let form = Form::parse(request.body);
    let action = form.get("Action").unwrap_or_default().to_owned();
    match run(ctx, request, &action, &form).await {
        Ok(body) => {
            let mut out = Xml::new();
            out.open_ns(&format!("{action}Response"), NAMESPACE);
            out.leaf("requestId", request_id);
            out.raw(&body);
            out.close(&format!("{action}Response"));
            answer(StatusCode::OK, out.finish(), request_id)
        }
        Err(error) => {
            tracing::debug!(action = %action, code = error.code, message = %error.message, "EC2 request refused");
            let mut out = Xml::new();
            out.open("Response");
            out.open("Errors");
            out.open("Error");
            out.leaf("Code", error.code);
            out.leaf("Message", &error.message);
            out.close("Error");
            out.close("Errors");
            out.leaf("RequestID", request_id);
            out.close("Response");
            answer(error.status, out.finish(), request_id)
        }
    }
}

fn answer(status: StatusCode, body: String, request_id: &str) -> Response {
    let mut response = (status, body).into_response();
    let headers: &mut HeaderMap = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml;charset=UTF-8"));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

/// The actions served.
const ACTIONS: &[&str] = &[
    "DescribeVpcs",
    "DescribeSubnets",
    "DescribeSecurityGroups",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
];

async fn run(
    ctx: &Ctx,
    request: &crate::access::Request<'_>,
    action: &str,
    form: &Form,
) -> Result<String, Ec2Error> {
    let identity =
        crate::access::authenticate_for(ctx, request, "ec2", action).map_err(from_api)?;
    if !ACTIONS.contains(&action) {
        let shown: String = action.chars().take(100).collect();
        return Err(Ec2Error::new(
            "InvalidAction",
            format!(
                "The action {shown} is not valid for this web service: Berth serves the EC2 actions \
                 that describe its VPC and manage security groups only."
            ),
        ));
    }
    if let Some(identity) = &identity {
        let resources: Vec<Cow<'_, str>> =
            groups::named_arns(ctx, form).into_iter().map(Cow::Owned).collect();
        crate::access::authorize_action(ctx, identity, &format!("ec2:{action}"), resources)
            .map_err(from_api)?;
    }
    if form.flag("DryRun")? {
        return Err(Ec2Error {
            code: "DryRunOperation",
            message: "Request would have succeeded, but DryRun flag is set.".to_owned(),
            status: StatusCode::PRECONDITION_FAILED,
        });
    }
    crate::vpc::ensure(ctx).await?;
    match action {
        "DescribeVpcs" => describe::vpcs(ctx, form).await,
        "DescribeSubnets" => describe::subnets(ctx, form).await,
        "DescribeSecurityGroups" => groups::describe(ctx, form).await,
        "CreateSecurityGroup" => groups::create(ctx, form).await,
        "DeleteSecurityGroup" => groups::delete(ctx, form).await,
        "AuthorizeSecurityGroupIngress" => groups::authorize(ctx, form, false).await,
        "AuthorizeSecurityGroupEgress" => groups::authorize(ctx, form, true).await,
        "RevokeSecurityGroupIngress" => groups::revoke(ctx, form, false).await,
        "RevokeSecurityGroupEgress" => groups::revoke(ctx, form, true).await,
        _ => Err(Ec2Error::internal()),
    }
}
