//! Requests meant for AWS services Berth does not serve (Elastic Load Balancing, CloudWatch,
//! EC2, CloudWatch Logs, ECR, Application Auto Scaling, ...). A client pointed at Berth for
//! every service should get the error such a service gives for an action it does not know, in
//! the protocol the client speaks: an ECS JSON error is "invalid XML" to a query-protocol
//! client and unreadable to a CBOR one.
//!
//! - AWS query protocol (a form-encoded body with `Action=` and `Version=`): an XML
//!   `ErrorResponse` with the code `InvalidAction`, status 400.
//! - EC2's own query dialect (requests signed for `ec2`): EC2's `Response`/`Errors` document.
//! - Smithy RPC v2 CBOR (`POST /service/<service>/operation/<operation>`): a CBOR map with
//!   `__type` and `message`, and the code in `X-Amzn-Errortype`.
//!
//! JSON 1.0/1.1 requests naming another service's target are answered by the ECS protocol
//! itself (`UnknownOperationException`), which JSON clients of every service read.

use axum::body::Body;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::wire::xml_escape;

/// The code AWS query services give for an action they do not have.
const INVALID_ACTION: &str = "InvalidAction";

/// The code of the CBOR answer, as JSON and CBOR services name an unknown operation.
const UNKNOWN_OPERATION: &str = "UnknownOperationException";

/// The longest action or operation name repeated in a message; the rest is cut.
const MAX_NAME: usize = 100;

/// Which query dialect a request speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Query,
    Ec2,
}

/// The answer to a request without `X-Amz-Target` that is a query-protocol request (a
/// form-encoded body naming an `Action`), or `None` if it is not one.
pub(crate) fn query_answer(headers: &HeaderMap, body: &[u8], request_id: &str) -> Option<Response> {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    let mut action = None;
    let mut version = None;
    for (name, value) in form_urlencoded::parse(body) {
        match name.as_ref() {
            "Action" => action = Some(value.into_owned()),
            "Version" => version = Some(value.into_owned()),
            _ => {}
        }
    }
    let action = action.filter(|_| form || version.is_some())?;
    let dialect =
        if signing_service(headers) == Some("ec2") { Dialect::Ec2 } else { Dialect::Query };
    let message = format!(
        "The action {} is not valid for this web service: Berth serves ECS, Elastic Load Balancing v2, ACM and the EC2 calls of its VPC, not this.",
        shorten(&action)
    );
    tracing::debug!(action = %shorten(&action), version = version.as_deref().unwrap_or(""), "Refused a request for another AWS service");
    Some(xml_error(dialect, &message, request_id))
}

/// `POST /service/<service>/operation/<operation>`: a Smithy RPC v2 CBOR request. Berth serves
/// no service in this protocol.
pub(crate) async fn rpc_v2(Path((service, operation)): Path<(String, String)>) -> Response {
    let request_id = crate::wire::request_id();
    let message = format!(
        "Unknown operation {}.{}: Berth serves ECS, Elastic Load Balancing v2, ACM and the EC2 calls of its VPC, not this.",
        shorten(&service),
        shorten(&operation)
    );
    tracing::debug!(service = %shorten(&service), operation = %shorten(&operation), "Refused a request for another AWS service");
    let mut body = Vec::with_capacity(64 + message.len());
    // A CBOR map of two text pairs: what a CBOR client reads an error from.
    body.push(0xa2);
    for text in ["__type", UNKNOWN_OPERATION, "message", &message] {
        cbor_text(&mut body, text);
    }
    let mut response = (StatusCode::BAD_REQUEST, Body::from(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/cbor"));
    headers.insert("smithy-protocol", HeaderValue::from_static("rpc-v2-cbor"));
    headers.insert("x-amzn-errortype", HeaderValue::from_static(UNKNOWN_OPERATION));
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

/// The service a SigV4 `Authorization` header's credential scope names
/// (`Credential=<key>/<date>/<region>/<service>/aws4_request`).
fn signing_service(headers: &HeaderMap) -> Option<&str> {
    let authorization = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let credential = authorization.split("Credential=").nth(1)?;
    let scope = credential.split([',', ' ']).next()?;
    scope.split('/').nth(3)
}

fn xml_error(dialect: Dialect, message: &str, request_id: &str) -> Response {
    let message = xml_escape(message);
    let body = match dialect {
        Dialect::Query => format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{INVALID_ACTION}</Code><Message>{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        ),
        Dialect::Ec2 => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{INVALID_ACTION}</Code><Message>{message}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        ),
    };
    let mut response = (StatusCode::BAD_REQUEST, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

/// At most [`MAX_NAME`] characters of a name the client sent.
fn shorten(name: &str) -> String {
    let mut short: String = name.chars().take(MAX_NAME).collect();
    if short.len() < name.len() {
        short.push('…');
    }
    short
}

/// Appends a CBOR text string (major type 3) with its length in the shortest form.
fn cbor_text(out: &mut Vec<u8>, text: &str) {
    let len = text.len();
    match len {
        0..=23 => out.push(0x60 | len as u8),
        24..=0xff => out.extend([0x78, len as u8]),
        0x100..=0xffff => {
            out.push(0x79);
            out.extend((len as u16).to_be_bytes());
        }
        _ => {
            out.push(0x7a);
            out.extend((len as u32).to_be_bytes());
        }
    }
    out.extend_from_slice(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbor_text_lengths_take_the_shortest_form() {
        let encoded = |text: &str| {
            let mut out = Vec::new();
            cbor_text(&mut out, text);
            out
        };
        assert_eq!(encoded("a"), [0x61, b'a']);
        assert_eq!(encoded(&"x".repeat(23))[0], 0x77);
        assert_eq!(encoded(&"x".repeat(24))[..2], [0x78, 24]);
        assert_eq!(encoded(&"x".repeat(300))[..3], [0x79, 0x01, 0x2c]);
        assert_eq!(encoded(&"x".repeat(70_000))[..5], [0x7a, 0, 1, 0x11, 0x70]);
    }

    #[test]
    fn the_signing_service_comes_from_the_credential_scope() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static(
                "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00",
            ),
        );
        assert_eq!(signing_service(&headers), Some("ec2"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert_eq!(signing_service(&headers), None);
    }

    #[test]
    fn names_from_the_client_are_escaped_and_cut() {
        assert_eq!(xml_escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
        assert_eq!(shorten(&"é".repeat(150)).chars().count(), MAX_NAME + 1);
    }
}
