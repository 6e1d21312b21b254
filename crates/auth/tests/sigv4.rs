//! `auth::verify` against requests signed by aws-sigv4, the signer of the AWS SDK for Rust, with
//! the header sets the AWS CLI and the SDKs sign; then every way a request can be wrong, with
//! AWS's codes and messages; then a property test over random requests.

use std::time::{Duration, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use proptest::prelude::*;

use auth::{AuthConfig, AuthError, Identity, SignedRequest, verify};

const REGION: &str = "us-east-1";
const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TEMPORARY_KEY: &str = "ASIATEMPORARY";
const TEMPORARY_SECRET: &str = "temporary/secret+key";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==";
/// 20261121T123000Z.
const NOW: i64 = 1_795_264_200;

const TARGET: &str = "AmazonEC2ContainerServiceV20141113.ListClusters";
const BODY: &[u8] = br#"{"maxResults": 5}"#;

fn config() -> AuthConfig {
    let text = format!(
        r#"
[[users]]
name = "alice"
[[users.keys]]
access-key-id = "{KEY}"
secret-access-key = "{SECRET}"
[[users.keys]]
access-key-id = "{TEMPORARY_KEY}"
secret-access-key = "{TEMPORARY_SECRET}"
session-token = "{TOKEN}"
"#
    );
    auth::config::parse(&text, "000000000000").unwrap()
}

/// How a test client signs.
struct Client {
    access_key: &'static str,
    secret: &'static str,
    token: Option<&'static str>,
    region: &'static str,
    service: &'static str,
    at: i64,
    content_sha256: bool,
}

impl Client {
    fn cli() -> Client {
        Client {
            access_key: KEY,
            secret: SECRET,
            token: None,
            region: REGION,
            service: "ecs",
            at: NOW,
            content_sha256: false,
        }
    }

    fn temporary() -> Client {
        Client {
            access_key: TEMPORARY_KEY,
            secret: TEMPORARY_SECRET,
            token: Some(TOKEN),
            ..Client::cli()
        }
    }

    /// Signs a `POST /` over `signed` headers and `body` with aws-sigv4, then returns every
    /// header of the request as sent: the signed ones, the signer's (`authorization`,
    /// `x-amz-date`, `x-amz-security-token`, `x-amz-content-sha256`) and the `unsigned` ones.
    fn sign(
        &self,
        signed: &[(&str, &str)],
        unsigned: &[(&str, &str)],
        body: &[u8],
    ) -> Vec<(String, String)> {
        let identity = Credentials::new(
            self.access_key,
            self.secret,
            self.token.map(str::to_owned),
            None,
            "test",
        )
        .into();
        let mut settings = SigningSettings::default();
        if self.content_sha256 {
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        }
        let at = u64::try_from(self.at).unwrap();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(self.region)
            .name(self.service)
            .time(UNIX_EPOCH + Duration::from_secs(at))
            .settings(settings)
            .build()
            .unwrap()
            .into();
        let request = SignableRequest::new(
            "POST",
            "http://localhost:8080/",
            signed.iter().copied(),
            SignableBody::Bytes(body),
        )
        .unwrap();
        let (instructions, _signature) = sign(request, &params).unwrap().into_parts();
        let mut headers: Vec<(String, String)> =
            signed.iter().map(|(name, value)| (name.to_lowercase(), (*value).to_owned())).collect();
        for (name, value) in instructions.headers() {
            headers.push((name.to_lowercase(), value.to_owned()));
        }
        for (name, value) in unsigned {
            headers.push((name.to_lowercase(), (*value).to_owned()));
        }
        headers
    }
}

/// The headers botocore (the AWS CLI) signs, and the ones it sends unsigned.
fn cli_request(client: &Client, body: &[u8]) -> Vec<(String, String)> {
    let length = body.len().to_string();
    client.sign(
        &[("Content-Type", "application/x-amz-json-1.1"), ("Host", "localhost:8080"), ("X-Amz-Target", TARGET)],
        &[
            ("User-Agent", "aws-cli/2.31.0 md/awscrt#0.27.6 ua/2.1 os/linux#6.1 md/arch#x86_64 lang/python#3.13.7"),
            ("amz-sdk-invocation-id", "6a2a1b9e-7d6c-4a0e-9d0a-0f3c2b1a0e11"),
            ("amz-sdk-request", "attempt=1"),
            ("Content-Length", &length),
        ],
        body,
    )
}

/// The headers the AWS SDK for Rust sends; aws-sigv4 signs all but `user-agent`.
fn sdk_request(client: &Client, body: &[u8]) -> Vec<(String, String)> {
    let length = body.len().to_string();
    client.sign(
        &[
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", TARGET),
            ("content-length", &length),
            ("host", "127.0.0.1:41234"),
            (
                "x-amz-user-agent",
                "aws-sdk-rust/1.3.14 ua/2.1 api/ecs/1.157.0 os/linux lang/rust/1.95.0",
            ),
            ("amz-sdk-invocation-id", "0f0c39b4-6e4c-4a63-b4a8-6d3b2f1b1a40"),
            ("amz-sdk-request", "attempt=1; max=3"),
            ("user-agent", "aws-sdk-rust/1.3.14 os/linux lang/rust/1.95.0"),
        ],
        &[],
        body,
    )
}

fn check(headers: &[(String, String)], body: &[u8], now: i64) -> Result<Identity, AuthError> {
    let request = SignedRequest { method: "POST", path: "/", query: "", headers, body };
    verify(&request, &config(), REGION, now)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    &headers.iter().find(|(header, _)| header == name).unwrap().1
}

fn set_header(headers: &mut Vec<(String, String)>, name: &str, value: &str) {
    headers.retain(|(header, _)| header != name);
    headers.push((name.to_owned(), value.to_owned()));
}

fn assert_error(result: Result<Identity, AuthError>, code: &str, status: u16, message: &str) {
    let error = result.expect_err("the request must be refused");
    assert_eq!((error.code, error.status, error.message.as_str()), (code, status, message));
}

const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. \
    Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

fn assert_mismatch(result: Result<Identity, AuthError>) {
    assert_error(result, "InvalidSignatureException", 403, MISMATCH);
}

#[test]
fn cli_requests_verify() {
    let headers = cli_request(&Client::cli(), BODY);
    assert!(
        header(&headers, "authorization")
            .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="),
        "{headers:?}"
    );
    let identity = check(&headers, BODY, NOW).unwrap();
    assert_eq!(
        identity,
        Identity {
            access_key_id: KEY.to_owned(),
            user: "alice".to_owned(),
            principal_arn: "arn:aws:iam::000000000000:user/alice".to_owned(),
        }
    );

    let headers = cli_request(&Client::temporary(), BODY);
    assert!(header(&headers, "authorization").contains(
        "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature="
    ));
    assert_eq!(check(&headers, BODY, NOW).unwrap().access_key_id, TEMPORARY_KEY);
}

#[test]
fn sdk_requests_verify() {
    let headers = sdk_request(&Client::cli(), BODY);
    assert!(header(&headers, "authorization").contains(
        "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;\
         x-amz-date;x-amz-target;x-amz-user-agent, Signature="
    ));
    assert!(check(&headers, BODY, NOW).is_ok());
    let headers = sdk_request(&Client::temporary(), b"{}");
    assert!(check(&headers, b"{}", NOW).is_ok());
    let headers = sdk_request(&Client::cli(), b"");
    assert!(check(&headers, b"", NOW).is_ok());
}

#[test]
fn unsigned_headers_may_change_but_signed_ones_may_not() {
    let mut headers = cli_request(&Client::cli(), BODY);
    set_header(&mut headers, "user-agent", "something else");
    headers.push(("x-forwarded-for".to_owned(), "10.0.0.1".to_owned()));
    assert!(check(&headers, BODY, NOW).is_ok());

    set_header(&mut headers, "x-amz-target", "AmazonEC2ContainerServiceV20141113.DeleteCluster");
    assert_mismatch(check(&headers, BODY, NOW));

    let mut headers = sdk_request(&Client::cli(), BODY);
    set_header(&mut headers, "amz-sdk-request", "attempt=2; max=3");
    assert_mismatch(check(&headers, BODY, NOW));
}

/// Every `x-amz-*` header a request carries must be signed, so that the operation cannot be
/// named after signing; `x-amz-content-sha256` may go unsigned (its value is checked against the
/// body), other headers too.
#[test]
fn unsigned_amz_headers_are_refused() {
    let refused = |headers: &[(String, String)], name: &str| {
        assert_error(
            check(headers, BODY, NOW),
            "IncompleteSignatureException",
            400,
            &format!("'{name}' must be a 'SignedHeader' in the AWS Authorization."),
        );
    };
    // The operation left out of the signature and added afterwards.
    let client = Client::cli();
    let mut headers = client.sign(
        &[("content-type", "application/x-amz-json-1.1"), ("host", "localhost:8080")],
        &[],
        BODY,
    );
    assert!(
        header(&headers, "authorization").contains("SignedHeaders=content-type;host;x-amz-date,")
    );
    headers.push((
        "x-amz-target".to_owned(),
        "AmazonEC2ContainerServiceV20141113.DeleteCluster".to_owned(),
    ));
    refused(&headers, "X-Amz-Target");
    // Any other x-amz-* header, whatever its case.
    for name in ["x-amz-user-agent", "X-AMZ-Something", "x-amz-"] {
        let mut headers = cli_request(&Client::cli(), BODY);
        headers.push((name.to_owned(), "value".to_owned()));
        let shown = match name {
            "X-AMZ-Something" => "X-Amz-Something",
            "x-amz-" => "X-Amz-",
            _ => "X-Amz-User-Agent",
        };
        refused(&headers, shown);
    }
    // Unsigned headers of other names, x-amzn-* among them, change nothing.
    let mut headers = cli_request(&Client::cli(), BODY);
    headers.push((
        "x-amzn-trace-id".to_owned(),
        "Root=1-5759e988-bd862e3fe1be46a994272793".to_owned(),
    ));
    headers.push(("x-amzfoo".to_owned(), "1".to_owned()));
    assert!(check(&headers, BODY, NOW).is_ok());
    // An unsigned x-amz-content-sha256 is accepted when it is the body's hash, refused otherwise.
    let mut headers = cli_request(&Client::cli(), BODY);
    let hash = "8b4e9c6c5b3ad5d4d9c1c5f4b7be2a8f1e9b4c3a2d1e0f9a8b7c6d5e4f3a2b1c";
    headers.push(("x-amz-content-sha256".to_owned(), hash.to_owned()));
    assert_error(
        check(&headers, BODY, NOW),
        "InvalidSignatureException",
        403,
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
    set_header(&mut headers, "x-amz-content-sha256", &body_sha256(BODY));
    assert!(check(&headers, BODY, NOW).is_ok());
}

fn body_sha256(body: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(body))
}

#[test]
fn a_signed_header_that_is_missing_fails() {
    let mut headers = cli_request(&Client::cli(), BODY);
    headers.retain(|(name, _)| name != "content-type");
    assert_mismatch(check(&headers, BODY, NOW));
}

#[test]
fn header_values_are_normalized_as_signed() {
    let client = Client::cli();
    let headers = client.sign(
        &[
            ("host", "localhost"),
            ("x-amz-target", TARGET),
            ("x-custom", "  several   spaces  inside "),
            ("x-multi", "one"),
            ("x-multi", "two"),
        ],
        &[],
        BODY,
    );
    assert!(check(&headers, BODY, NOW).is_ok());
}

#[test]
fn wrong_secret_and_unknown_key() {
    let headers = cli_request(&Client { secret: "not the secret", ..Client::cli() }, BODY);
    assert_mismatch(check(&headers, BODY, NOW));

    let headers = cli_request(&Client { access_key: "AKIDUNKNOWN", ..Client::cli() }, BODY);
    assert_error(
        check(&headers, BODY, NOW),
        "UnrecognizedClientException",
        403,
        "The security token included in the request is invalid.",
    );
}

#[test]
fn tampered_body_and_signature() {
    let headers = cli_request(&Client::cli(), BODY);
    assert_mismatch(check(&headers, br#"{"maxResults": 6}"#, NOW));
    assert_mismatch(check(&headers, b"", NOW));

    let mut tampered = headers.clone();
    let authorization = header(&headers, "authorization");
    let last = authorization.chars().last().unwrap();
    let flipped = if last == '0' { '1' } else { '0' };
    set_header(
        &mut tampered,
        "authorization",
        &format!("{}{flipped}", &authorization[..authorization.len() - 1]),
    );
    assert_mismatch(check(&tampered, BODY, NOW));
}

#[test]
fn clock_skew_window() {
    // Fifteen minutes either way is accepted.
    for at in [NOW - 900, NOW + 900] {
        let headers = cli_request(&Client { at, ..Client::cli() }, BODY);
        assert!(check(&headers, BODY, NOW).is_ok(), "{at}");
    }
    let headers = cli_request(&Client { at: NOW - 16 * 60, ..Client::cli() }, BODY);
    assert_error(
        check(&headers, BODY, NOW),
        "InvalidSignatureException",
        403,
        "Signature expired: 20261121T121400Z is now earlier than 20261121T121500Z (20261121T123000Z - 15 min.)",
    );
    let headers = cli_request(&Client { at: NOW + 16 * 60, ..Client::cli() }, BODY);
    assert_error(
        check(&headers, BODY, NOW),
        "InvalidSignatureException",
        403,
        "Signature not yet current: 20261121T124600Z is still later than 20261121T124500Z (20261121T123000Z + 15 min.)",
    );
}

#[test]
fn credential_scope() {
    let headers = cli_request(&Client { service: "s3", ..Client::cli() }, BODY);
    assert_error(
        check(&headers, BODY, NOW),
        "InvalidSignatureException",
        403,
        "Credential should be scoped to correct service: 'ecs'.",
    );
    let headers = cli_request(&Client { region: "eu-west-1", ..Client::cli() }, BODY);
    assert_error(
        check(&headers, BODY, NOW),
        "InvalidSignatureException",
        403,
        "Credential should be scoped to a valid region, not 'eu-west-1'.",
    );

    // Signed one second before midnight, sent with a date one second after it.
    let before_midnight = NOW + 41_399;
    let mut headers = cli_request(&Client { at: before_midnight, ..Client::cli() }, BODY);
    assert_eq!(header(&headers, "x-amz-date"), "20261121T235959Z");
    set_header(&mut headers, "x-amz-date", "20261122T000001Z");
    assert_error(
        check(&headers, BODY, before_midnight + 1),
        "InvalidSignatureException",
        403,
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: \
         '20261121' != '20261122', from '20261122T000001Z'.",
    );

    let mut headers = cli_request(&Client::cli(), BODY);
    let authorization = header(&headers, "authorization").replace("/aws4_request", "/aws5_request");
    set_header(&mut headers, "authorization", &authorization);
    assert_error(
        check(&headers, BODY, NOW),
        "IncompleteSignatureException",
        400,
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.",
    );
}

#[test]
fn missing_and_malformed_authorization() {
    let mut headers = cli_request(&Client::cli(), BODY);
    let authorization = header(&headers, "authorization").to_owned();
    headers.retain(|(name, _)| name != "authorization");
    assert_error(
        check(&headers, BODY, NOW),
        "MissingAuthenticationTokenException",
        403,
        "Missing Authentication Token",
    );

    let mut blank = headers.clone();
    blank.push(("authorization".to_owned(), "  ".to_owned()));
    assert_error(
        check(&blank, BODY, NOW),
        "MissingAuthenticationTokenException",
        403,
        "Missing Authentication Token",
    );

    let (credential, rest) = authorization.split_once(", ").unwrap();
    let (signed_headers, _signature) = rest.split_once(", ").unwrap();
    let without = |part: &str| authorization.replace(part, "").replace(", , ", ", ");
    for (header_value, missing) in [
        (format!("AWS4-HMAC-SHA256 {rest}"), "Credential"),
        (without(signed_headers), "SignedHeaders"),
        (format!("{credential}, {signed_headers}"), "Signature"),
    ] {
        let mut headers = headers.clone();
        headers.push(("authorization".to_owned(), header_value.clone()));
        assert_error(
            check(&headers, BODY, NOW),
            "IncompleteSignatureException",
            400,
            &format!(
                "Authorization header requires '{missing}' parameter. Authorization={header_value}"
            ),
        );
    }

    let mut no_date = headers.clone();
    no_date.retain(|(name, _)| name != "x-amz-date");
    no_date.push(("authorization".to_owned(), authorization.clone()));
    assert_error(
        check(&no_date, BODY, NOW),
        "IncompleteSignatureException",
        400,
        &format!(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. \
             Authorization={authorization}"
        ),
    );

    let mut bad_date = headers.clone();
    bad_date.push(("authorization".to_owned(), authorization.clone()));
    set_header(&mut bad_date, "x-amz-date", "2026-11-21T12:30:00Z");
    assert_error(
        check(&bad_date, BODY, NOW),
        "IncompleteSignatureException",
        400,
        "Date must be in ISO-8601 'basic format'. Got '2026-11-21T12:30:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    );

    for (value, message) in [
        (
            authorization.replace("/ecs/", "/"),
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20261121/us-east-1/aws4_request'",
        ),
        (
            authorization.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1"),
            "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1'.",
        ),
        (
            authorization.replace("host;", ""),
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ),
        (
            authorization.replace("x-amz-date;", ""),
            "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
        ),
    ] {
        let mut headers = headers.clone();
        headers.push(("authorization".to_owned(), value));
        assert_error(check(&headers, BODY, NOW), "IncompleteSignatureException", 400, message);
    }
}

#[test]
fn session_tokens() {
    // A token sent but not signed.
    let mut headers = cli_request(&Client::cli(), BODY);
    headers.push(("x-amz-security-token".to_owned(), TOKEN.to_owned()));
    assert_error(
        check(&headers, BODY, NOW),
        "IncompleteSignatureException",
        400,
        "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.",
    );

    let invalid = "The security token included in the request is invalid.";
    // A temporary key without its token, or with another one.
    let headers = cli_request(&Client { token: None, ..Client::temporary() }, BODY);
    assert_error(check(&headers, BODY, NOW), "UnrecognizedClientException", 403, invalid);
    let headers =
        cli_request(&Client { token: Some("another token"), ..Client::temporary() }, BODY);
    assert_error(check(&headers, BODY, NOW), "UnrecognizedClientException", 403, invalid);
    // A long-term key with a token.
    let headers = cli_request(&Client { token: Some(TOKEN), ..Client::cli() }, BODY);
    assert_error(check(&headers, BODY, NOW), "UnrecognizedClientException", 403, invalid);
    // The token is signed: changing it after signing breaks the signature.
    let mut headers = cli_request(&Client::temporary(), BODY);
    set_header(&mut headers, "x-amz-security-token", TOKEN);
    assert!(check(&headers, BODY, NOW).is_ok());
}

#[test]
fn content_sha256_header() {
    let client = Client { content_sha256: true, ..Client::cli() };
    let headers = cli_request(&client, BODY);
    assert!(header(&headers, "authorization").contains("x-amz-content-sha256"));
    assert!(check(&headers, BODY, NOW).is_ok());
    assert_error(
        check(&headers, b"{}", NOW),
        "InvalidSignatureException",
        403,
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
    let mut unsigned_payload = headers.clone();
    set_header(&mut unsigned_payload, "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    assert!(check(&unsigned_payload, BODY, NOW).is_err());
}

#[test]
fn other_methods_paths_and_queries() {
    let client = Client::cli();
    let identity = Credentials::new(KEY, SECRET, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name("ecs")
        .time(UNIX_EPOCH + Duration::from_secs(u64::try_from(client.at).unwrap()))
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    for (method, path, query) in [
        ("GET", "/", "b=2&a=1&a=%2F"),
        ("POST", "/a/./b/../c%20d/", ""),
        ("PUT", "/v1/things/x%3Ay", "list-type=2&prefix=a%20b"),
    ] {
        let uri = if query.is_empty() {
            format!("http://localhost{path}")
        } else {
            format!("http://localhost{path}?{query}")
        };
        let signable = SignableRequest::new(
            method,
            uri,
            [("host", "localhost")].into_iter(),
            SignableBody::Bytes(b""),
        )
        .unwrap();
        let (instructions, _) = sign(signable, &params).unwrap().into_parts();
        let mut headers = vec![("host".to_owned(), "localhost".to_owned())];
        headers.extend(instructions.headers().map(|(n, v)| (n.to_lowercase(), v.to_owned())));
        let request = SignedRequest { method, path, query, headers: &headers, body: b"" };
        assert!(verify(&request, &config(), REGION, NOW).is_ok(), "{method} {path}?{query}");
        let other_path = SignedRequest { path: "/other", ..request };
        assert!(verify(&other_path, &config(), REGION, NOW).is_err());
    }
}

const OPERATIONS: &[&str] = &[
    "CreateCluster",
    "DescribeClusters",
    "ListClusters",
    "RunTask",
    "StopTask",
    "DescribeTasks",
    "ListTasks",
    "CreateService",
    "UpdateService",
    "RegisterTaskDefinition",
    "TagResource",
];

fn header_name() -> impl Strategy<Value = String> {
    "x-[a-z0-9-]{1,12}"
}

/// Visible ASCII with spaces (runs of them included), as header values may hold.
fn header_value() -> impl Strategy<Value = String> {
    "[!-~]([ !-~]{0,30}[!-~])?"
}

/// A random ECS request, before signing.
#[derive(Debug, Clone)]
struct RandomRequest {
    operation: &'static str,
    body: Vec<u8>,
    /// Headers signed besides the usual ones.
    extra: Vec<(String, String)>,
    /// Headers sent but not signed.
    unsigned: Vec<(String, String)>,
    /// Signed with temporary credentials (a session token).
    temporary: bool,
    /// With the SDK's extra signed headers.
    sdk_style: bool,
    /// Seconds between signing and verifying, within the allowed skew.
    skew: i64,
}

prop_compose! {
    fn random_request()(
        operation in proptest::sample::select(OPERATIONS),
        body in proptest::collection::vec(any::<u8>(), 0..300),
        extra in proptest::collection::vec((header_name(), header_value()), 0..6),
        unsigned in proptest::collection::vec((header_name(), header_value()), 0..3),
        temporary in any::<bool>(),
        sdk_style in any::<bool>(),
        skew in -900i64..=900,
    ) -> RandomRequest {
        RandomRequest { operation, body, extra, unsigned, temporary, sdk_style, skew }
    }
}

fn signed_random(request: &RandomRequest) -> Vec<(String, String)> {
    let client = if request.temporary { Client::temporary() } else { Client::cli() };
    let client = Client { at: NOW + request.skew, ..client };
    let target = format!("AmazonEC2ContainerServiceV20141113.{}", request.operation);
    let length = request.body.len().to_string();
    let mut signed: Vec<(&str, &str)> = vec![
        ("content-type", "application/x-amz-json-1.1"),
        ("host", "localhost:8080"),
        ("x-amz-target", &target),
    ];
    if request.sdk_style {
        signed.push(("content-length", &length));
        signed.push(("amz-sdk-request", "attempt=1; max=3"));
    }
    signed.extend(request.extra.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    // Unsigned headers must not share a name with a signed one, or they would join its value.
    let unsigned: Vec<(&str, &str)> = request
        .unsigned
        .iter()
        .filter(|(name, _)| !request.extra.iter().any(|(signed, _)| signed == name))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    client.sign(&signed, &unsigned, &request.body)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn signed_requests_verify(request in random_request()) {
        let headers = signed_random(&request);
        prop_assert!(check(&headers, &request.body, NOW).is_ok());
    }

    #[test]
    fn a_flipped_body_byte_never_verifies(request in random_request(), index in any::<prop::sample::Index>(), mask in 1u8..=255) {
        let headers = signed_random(&request);
        let mut body = request.body.clone();
        if body.is_empty() {
            body.push(mask);
        } else {
            let i = index.index(body.len());
            body[i] ^= mask;
        }
        prop_assert!(check(&headers, &body, NOW).is_err());
    }

    #[test]
    fn a_flipped_signature_character_never_verifies(
        request in random_request(),
        index in any::<prop::sample::Index>(),
        replacement in proptest::char::range('!', '~'),
    ) {
        let headers = signed_random(&request);
        let authorization = header(&headers, "authorization");
        let signature_start = authorization.find("Signature=").unwrap() + "Signature=".len();
        let i = signature_start + index.index(authorization.len() - signature_start);
        let original = authorization.as_bytes()[i] as char;
        prop_assume!(replacement != original && replacement != ',');
        let mut tampered = authorization.to_owned();
        tampered.replace_range(i..=i, &replacement.to_string());
        let mut tampered_headers = headers.clone();
        set_header(&mut tampered_headers, "authorization", &tampered);
        prop_assert!(check(&tampered_headers, &request.body, NOW).is_err());
    }
}
