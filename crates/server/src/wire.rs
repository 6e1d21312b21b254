//! The shape of every JSON 1.1 answer: the request id, the content type, and the error type
//! header smithy SDKs read.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use api::ErrorCode;

/// A new request id: a random (version 4) UUID, drawn from a per-thread generator (SplitMix64)
/// seeded once from the operating system. Request ids must be unique, not secret; this spares
/// a `getrandom` system call per request.
pub(crate) fn request_id() -> String {
    thread_local! {
        static STATE: std::cell::Cell<u64> = std::cell::Cell::new(
            uuid::Uuid::new_v4().as_u64_pair().0,
        );
    }
    let next = || {
        STATE.with(|state| {
            let x = state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
            state.set(x);
            let z = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        })
    };
    let bytes = (u128::from(next()) << 64 | u128::from(next())).to_le_bytes();
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

pub(crate) fn respond(
    status: StatusCode,
    request_id: &str,
    code: Option<ErrorCode>,
    body: &Value,
) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    respond_bytes(status, request_id, code, bytes)
}

/// Answers with a JSON body already serialized.
pub(crate) fn respond_bytes(
    status: StatusCode,
    request_id: &str,
    code: Option<ErrorCode>,
    bytes: Vec<u8>,
) -> Response {
    respond_body(status, request_id, code, axum::body::Body::from(bytes))
}

/// Answers with `body`, which may still be on its way: the head goes out at once.
pub(crate) fn respond_body(
    status: StatusCode,
    request_id: &str,
    code: Option<ErrorCode>,
    body: axum::body::Body,
) -> Response {
    let mut response = (status, body).into_response();
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

/// `text` with the characters XML gives a meaning escaped, and control characters (which XML
/// 1.0 text cannot hold) replaced: for the XML answers of the query protocols.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Whether a form-encoded body is a query-protocol request of the API version `version`: it
/// names an `Action` and that `Version`.
pub(crate) fn is_query(body: &[u8], version: &str) -> bool {
    let mut action = false;
    let mut versioned = false;
    for (name, value) in form_urlencoded::parse(body) {
        match name.as_ref() {
            "Action" => action = true,
            "Version" => versioned = value == version,
            _ => {}
        }
    }
    action && versioned
}

#[cfg(test)]
mod tests {
    use super::request_id;

    #[test]
    fn request_ids_are_distinct_version_4_uuids() {
        let ids: std::collections::HashSet<String> = (0..10_000).map(|_| request_id()).collect();
        assert_eq!(ids.len(), 10_000);
        for id in ids.iter().take(100) {
            let uuid = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(uuid.get_version_num(), 4, "{id}");
            assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122, "{id}");
        }
        // Another thread draws from its own generator, seeded apart.
        let other: Vec<String> =
            std::thread::spawn(|| (0..100).map(|_| request_id()).collect()).join().unwrap();
        assert!(other.iter().all(|id| !ids.contains(id)));
    }
}
