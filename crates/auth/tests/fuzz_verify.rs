//! A fuzz harness for `auth::verify`, driven by proptest: arbitrary `Authorization` headers,
//! header lists, bodies, methods, paths, regions and clocks, and mutations of correctly signed
//! requests, must never panic, and every refusal must carry one of the documented codes with its
//! status.
//!
//! `AUTH_FUZZ_CASES` sets the number of cases (default 256, so CI stays fast);
//! `scripts/fuzz-auth.sh` runs a million. `PROPTEST_RNG_SEED` fixes the seed.

use std::cell::Cell;
use std::time::{Duration, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};

use auth::{AuthConfig, SignedRequest, verify};

const REGION: &str = "us-east-1";
/// 20261121T123000Z.
const NOW: i64 = 1_795_264_200;
const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TEMPORARY_KEY: &str = "ASIATEMPORARY";
const TOKEN: &str = "session-token";
/// The body and target of every seed request.
const SEED_BODY: &[u8] = br#"{"cluster":"prod","maxResults":5}"#;
const SEED_TARGET: &str = "AmazonEC2ContainerServiceV20141113.ListServices";

fn config() -> AuthConfig {
    let text = format!(
        "[[users]]\nname = \"alice\"\n\
         [[users.keys]]\naccess-key-id = \"{KEY}\"\nsecret-access-key = \"{SECRET}\"\n\
         [[users.keys]]\naccess-key-id = \"{TEMPORARY_KEY}\"\nsecret-access-key = \"{SECRET}\"\nsession-token = \"{TOKEN}\"\n"
    );
    auth::config::parse(&text, "000000000000").unwrap()
}

/// One request to verify.
#[derive(Debug, Clone)]
struct Input {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    region: String,
    now: i64,
}

/// Correctly signed requests, the seeds of the mutations.
fn seeds() -> Vec<Input> {
    let mut seeds = Vec::new();
    for (key, token, content_sha256, signed_names) in [
        (KEY, None, false, &["content-type", "host", "x-amz-target"][..]),
        (TEMPORARY_KEY, Some(TOKEN), false, &["content-type", "host", "x-amz-target"][..]),
        (
            KEY,
            None,
            true,
            &["amz-sdk-request", "content-length", "content-type", "host", "x-amz-target"][..],
        ),
    ] {
        let body = SEED_BODY.to_vec();
        let length = body.len().to_string();
        let value = |name: &str| match name {
            "content-type" => "application/x-amz-json-1.1",
            "host" => "localhost:8080",
            "x-amz-target" => SEED_TARGET,
            "amz-sdk-request" => "attempt=1; max=3",
            "content-length" => &length,
            _ => "",
        };
        let signed: Vec<(&str, &str)> =
            signed_names.iter().map(|name| (*name, value(name))).collect();
        let identity = Credentials::new(key, SECRET, token.map(str::to_owned), None, "fuzz").into();
        let mut settings = SigningSettings::default();
        if content_sha256 {
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        }
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(REGION)
            .name("ecs")
            .time(UNIX_EPOCH + Duration::from_secs(u64::try_from(NOW).unwrap()))
            .settings(settings)
            .build()
            .unwrap()
            .into();
        let request = SignableRequest::new(
            "POST",
            "http://localhost:8080/",
            signed.iter().copied(),
            SignableBody::Bytes(&body),
        )
        .unwrap();
        let (instructions, _) = sign(request, &params).unwrap().into_parts();
        let mut headers: Vec<(String, String)> =
            signed.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect();
        headers.extend(
            instructions.headers().map(|(name, value)| (name.to_lowercase(), value.to_owned())),
        );
        headers.push(("user-agent".to_owned(), "fuzz".to_owned()));
        let input = Input {
            method: "POST".to_owned(),
            path: "/".to_owned(),
            query: String::new(),
            headers,
            body,
            region: REGION.to_owned(),
            now: NOW,
        };
        let request = SignedRequest {
            method: &input.method,
            path: &input.path,
            query: &input.query,
            headers: &input.headers,
            body: &input.body,
        };
        assert!(verify(&request, &config(), REGION, NOW).is_ok(), "seed {input:?}");
        seeds.push(input);
    }
    seeds
}

#[derive(Debug, Clone)]
enum Mutation {
    EditValue { header: Index, at: Index, delete: usize, insert: String },
    RemoveHeader(Index),
    DuplicateHeader(Index),
    AddHeader(String, String),
    FlipBodyByte { at: Index, mask: u8 },
    TruncateBody(Index),
    ShiftClock(i64),
    Region(String),
    Path(String),
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,40}",
        ".{0,20}",
        Just(String::new()),
        proptest::sample::select(vec![
            "AWS4-HMAC-SHA256",
            "Credential=",
            "SignedHeaders=",
            "Signature=",
            ",",
            ";",
            "/",
            "=",
            " ",
            "aws4_request",
            "ecs",
            "us-east-1",
            KEY,
            "host",
            "x-amz-date",
            "20261121",
            "20261121T123000Z",
            "x-amz-security-token",
            "%",
            "..",
            "\u{0}",
            "é",
        ])
        .prop_map(str::to_owned),
    ]
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(vec![
            "authorization",
            "x-amz-date",
            "host",
            "x-amz-security-token",
            "x-amz-content-sha256",
            "content-type",
            "x-amz-target",
            "Authorization",
            "X-Amz-Date",
        ])
        .prop_map(str::to_owned),
        "[a-z-]{0,12}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), any::<Index>(), 0usize..8, text())
            .prop_map(|(header, at, delete, insert)| Mutation::EditValue { header, at, delete, insert }),
        1 => any::<Index>().prop_map(Mutation::RemoveHeader),
        1 => any::<Index>().prop_map(Mutation::DuplicateHeader),
        1 => (header_name(), text()).prop_map(|(name, value)| Mutation::AddHeader(name, value)),
        1 => (any::<Index>(), 1u8..=255).prop_map(|(at, mask)| Mutation::FlipBodyByte { at, mask }),
        1 => any::<Index>().prop_map(Mutation::TruncateBody),
        1 => prop_oneof![-2_000i64..2_000, any::<i64>()].prop_map(Mutation::ShiftClock),
        1 => text().prop_map(Mutation::Region),
        1 => text().prop_map(Mutation::Path),
    ]
}

/// The largest char boundary of `text` at or below `index`.
fn floor_boundary(text: &str, index: usize) -> usize {
    (0..=index.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

fn apply(mut input: Input, mutations: &[Mutation]) -> Input {
    for mutation in mutations {
        match mutation {
            Mutation::EditValue { header, at, delete, insert } => {
                if input.headers.is_empty() {
                    continue;
                }
                let len = input.headers.len();
                let (_, value) = &mut input.headers[header.index(len)];
                let start = floor_boundary(value, at.index(value.len() + 1));
                let end = floor_boundary(value, start + delete);
                value.replace_range(start..end.max(start), insert);
            }
            Mutation::RemoveHeader(index) => {
                if !input.headers.is_empty() {
                    input.headers.remove(index.index(input.headers.len()));
                }
            }
            Mutation::DuplicateHeader(index) => {
                if !input.headers.is_empty() {
                    let header = input.headers[index.index(input.headers.len())].clone();
                    input.headers.push(header);
                }
            }
            Mutation::AddHeader(name, value) => input.headers.push((name.clone(), value.clone())),
            Mutation::FlipBodyByte { at, mask } => {
                if !input.body.is_empty() {
                    let i = at.index(input.body.len());
                    input.body[i] ^= mask;
                }
            }
            Mutation::TruncateBody(at) => input.body.truncate(at.index(input.body.len() + 1)),
            Mutation::ShiftClock(by) => input.now = input.now.saturating_add(*by),
            Mutation::Region(region) => input.region.clone_from(region),
            Mutation::Path(path) => input.path.clone_from(path),
        }
    }
    input
}

/// An `Authorization` header assembled from plausible and implausible pieces.
fn authorization() -> impl Strategy<Value = String> {
    let credential = proptest::collection::vec(text(), 0..7).prop_map(|parts| parts.join("/"));
    let signed_headers =
        proptest::collection::vec(header_name(), 0..6).prop_map(|names| names.join(";"));
    let signature = prop_oneof!["[0-9a-f]{64}", "[0-9a-fA-F]{0,70}", text()];
    let algorithm = prop_oneof![Just("AWS4-HMAC-SHA256".to_owned()), text()];
    let separator = prop_oneof![Just(", ".to_owned()), Just(",".to_owned()), text()];
    prop_oneof![
        (algorithm, credential, signed_headers, signature, separator).prop_map(
            |(algorithm, credential, signed_headers, signature, separator)| {
                format!(
                    "{algorithm} Credential={credential}{separator}SignedHeaders={signed_headers}{separator}Signature={signature}"
                )
            }
        ),
        ".{0,200}",
        text(),
    ]
}

fn random_input() -> impl Strategy<Value = Input> {
    let date = prop_oneof!["2026112[0-2]T[0-2][0-9][0-5][0-9][0-5][0-9]Z", "[0-9T]{15}Z", text(),];
    let other_headers = proptest::collection::vec((header_name(), text()), 0..8);
    (
        prop_oneof![Just("POST".to_owned()), text()],
        prop_oneof![Just("/".to_owned()), text()],
        prop_oneof![Just(String::new()), text()],
        proptest::option::of(authorization()),
        proptest::option::of(date),
        other_headers,
        proptest::collection::vec(any::<u8>(), 0..64),
        prop_oneof![Just(REGION.to_owned()), text()],
        prop_oneof![NOW - 1_000..NOW + 1_000, any::<i64>()],
    )
        .prop_map(|(method, path, query, authorization, date, other, body, region, now)| {
            let mut headers = Vec::new();
            if let Some(authorization) = authorization {
                headers.push(("authorization".to_owned(), authorization));
            }
            if let Some(date) = date {
                headers.push(("x-amz-date".to_owned(), date));
            }
            headers.extend(other);
            Input { method, path, query, headers, body, region, now }
        })
}

fn cases() -> u32 {
    std::env::var("AUTH_FUZZ_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(256)
}

#[test]
fn verify_never_panics() {
    let seeds = seeds();
    let config = config();
    let strategy = prop_oneof![
        random_input(),
        (proptest::sample::select(seeds), proptest::collection::vec(mutation(), 1..4))
            .prop_map(|(seed, mutations)| apply(seed, &mutations)),
    ];
    let cases = cases();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 10_000,
        ..Config::default()
    });
    let ran = Cell::new(0u64);
    let accepted = Cell::new(0u64);
    let result = runner.run(&strategy, |input| {
        ran.set(ran.get() + 1);
        let request = SignedRequest {
            method: &input.method,
            path: &input.path,
            query: &input.query,
            headers: &input.headers,
            body: &input.body,
        };
        match verify(&request, &config, &input.region, input.now) {
            Ok(identity) => {
                accepted.set(accepted.get() + 1);
                prop_assert_eq!(identity.user.as_str(), "alice");
                // Only requests that still say what was signed may pass: the same body and
                // target (up to the spaces SigV4 trims).
                prop_assert_eq!(input.body.as_slice(), SEED_BODY);
                let targets: Vec<&str> = input
                    .headers
                    .iter()
                    .filter(|(name, _)| name.eq_ignore_ascii_case("x-amz-target"))
                    .map(|(_, value)| value.trim_matches(' '))
                    .collect();
                prop_assert_eq!(targets, vec![SEED_TARGET]);
            }
            Err(error) => {
                let expected_status = match error.code {
                    "MissingAuthenticationTokenException"
                    | "UnrecognizedClientException"
                    | "InvalidSignatureException" => 403,
                    "IncompleteSignatureException" => 400,
                    other => panic!("unexpected code {other}"),
                };
                prop_assert_eq!(error.status, expected_status);
                prop_assert!(!error.message.is_empty());
            }
        }
        Ok(())
    });
    if let Err(failure) = result {
        panic!("verify misbehaved: {failure}");
    }
    eprintln!(
        "fuzz_verify: {} cases run (AUTH_FUZZ_CASES={cases}), 0 panics, {} accepted \
         (mutations that left a signed request intact)",
        ran.get(),
        accepted.get()
    );
}
