//! Verifying AWS Signature Version 4 on an ECS API request.
//!
//! The server recomputes the signature the client must have made (approach "recompute by hand":
//! aws-sigv4 can only sign, and is used by the tests as an oracle) and compares it in constant
//! time. The checks, in order, each with the error AWS gives:
//!
//! | Check | Error |
//! |---|---|
//! | an `Authorization` header exists and is not blank | `MissingAuthenticationTokenException` 403 |
//! | it parses: `AWS4-HMAC-SHA256`, `Credential` (5 parts), `SignedHeaders`, `Signature`; `X-Amz-Date` exists | `IncompleteSignatureException` 400 |
//! | `X-Amz-Date` is `YYYYMMDD'T'HHMMSS'Z'`; the scope ends in `aws4_request` | `IncompleteSignatureException` 400 |
//! | the scope's date is `X-Amz-Date`'s date, its region the server's, its service `ecs` | `InvalidSignatureException` 403 |
//! | `host` and `x-amz-date` are signed; `x-amz-security-token`, when sent, is signed | `IncompleteSignatureException` 400 |
//! | every other `x-amz-*` header sent is signed (`x-amz-content-sha256` may go unsigned, as S3 allows: its value is checked against the body below) | `IncompleteSignatureException` 400 |
//! | the access key exists | `UnrecognizedClientException` 403 |
//! | `X-Amz-Date` is within 15 minutes of now | `InvalidSignatureException` 403 |
//! | the session token is the key's (or absent for a key without one) | `UnrecognizedClientException` 403 |
//! | `x-amz-content-sha256`, when sent, is the body's SHA-256 | `InvalidSignatureException` 403 |
//! | every signed header is present and the signature matches | `InvalidSignatureException` 403 |

mod authorization;
mod canonical;
mod date;
mod sign;

pub use sign::{sign_post, sign_post_for};

use sha2::{Digest, Sha256};

use crate::{AuthError, Secret};

use authorization::Authorization;

/// The signing name of ECS: the service part of every credential scope.
pub const SERVICE: &str = "ecs";

/// How far `X-Amz-Date` may be from the server's clock, either way.
pub const MAX_CLOCK_SKEW_SECONDS: i64 = 15 * 60;

/// An HTTP request as received, before its body is parsed.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// `POST` for every ECS operation.
    pub method: &'a str,
    /// The path as received, still percent-encoded (`/` for ECS).
    pub path: &'a str,
    /// The raw query string without `?` (empty for ECS).
    pub query: &'a str,
    /// Every header of the request, names lowercased, values as received, in order; repeated
    /// names appear once per value. `host` must be among them (for HTTP/2, pass `:authority` as
    /// `host`).
    pub headers: &'a [(String, String)],
    /// The whole body.
    pub body: &'a [u8],
}

impl<'a> SignedRequest<'a> {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// What the verifier needs to know about an access key.
#[derive(Debug, Clone, Copy)]
pub struct KeyEntry<'a> {
    pub secret_access_key: &'a Secret,
    /// Temporary credentials carry a session token: requests must then send it, signed, in
    /// `x-amz-security-token`. A key without one refuses requests that send a token.
    pub session_token: Option<&'a Secret>,
    /// The user the key belongs to.
    pub user: &'a str,
    /// The user's ARN, e.g. `arn:aws:iam::000000000000:user/alice`.
    pub principal_arn: &'a str,
}

/// Where access keys are looked up; [`crate::AuthConfig`] is one.
pub trait KeyLookup {
    fn key(&self, access_key_id: &str) -> Option<KeyEntry<'_>>;
}

/// Who signed a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub access_key_id: String,
    /// The user's name in the config.
    pub user: String,
    pub principal_arn: String,
}

/// Verifies the SigV4 signature of `request` for ECS in `region`, `now_epoch` being the server's
/// clock in seconds since the epoch. See the module documentation for the checks and errors.
pub fn verify(
    request: &SignedRequest<'_>,
    keys: &dyn KeyLookup,
    region: &str,
    now_epoch: i64,
) -> Result<Identity, AuthError> {
    verify_for(request, keys, region, SERVICE, now_epoch)
}

/// [`verify`] for another service's signing name (`ec2`, ...): the credential scope must name
/// `service`.
pub fn verify_for(
    request: &SignedRequest<'_>,
    keys: &dyn KeyLookup,
    region: &str,
    service: &str,
    now_epoch: i64,
) -> Result<Identity, AuthError> {
    let header = request
        .header("authorization")
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(AuthError::missing_authentication_token)?;
    let amz_date = request.header("x-amz-date");
    let authorization = Authorization::parse(header, amz_date.is_some())?;
    let amz_date = amz_date.unwrap_or_default();
    let Some(signed_at) = date::parse(amz_date) else {
        return Err(AuthError::incomplete_signature(format!(
            "Date must be in ISO-8601 'basic format'. Got '{amz_date}'. \
             See http://en.wikipedia.org/wiki/ISO_8601"
        )));
    };

    check_scope(&authorization, amz_date, region, service)?;
    check_signed_headers(request, authorization.signed_headers)?;

    let key = keys.key(authorization.access_key_id).ok_or_else(AuthError::unrecognized_client)?;

    check_clock_skew(signed_at, now_epoch)?;

    let sent_token = request.header("x-amz-security-token");
    let token_matches = match (key.session_token, sent_token) {
        (None, None) => true,
        (Some(expected), Some(sent)) => constant_time_eq(expected.expose(), sent),
        _ => false,
    };
    if !token_matches {
        return Err(AuthError::unrecognized_client());
    }

    let body_hash = hex::encode(Sha256::digest(request.body));
    if let Some(claimed) = request.header("x-amz-content-sha256")
        && !claimed.eq_ignore_ascii_case(&body_hash)
    {
        return Err(AuthError::invalid_signature(
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        ));
    }
    let payload_hash = request.header("x-amz-content-sha256").unwrap_or(&body_hash);

    let canonical = canonical::canonical_request(
        request.method,
        request.path,
        request.query,
        request.headers,
        authorization.signed_headers,
        payload_hash,
    )
    .ok_or_else(AuthError::signature_mismatch)?;
    let to_sign = canonical::string_to_sign(amz_date, authorization.scope, &canonical);
    let signing_key = canonical::signing_key(
        key.secret_access_key.expose(),
        authorization.scope_date,
        authorization.scope_region,
        authorization.scope_service,
    );
    if !canonical::signature_matches(&signing_key, &to_sign, authorization.signature) {
        return Err(AuthError::signature_mismatch());
    }
    Ok(Identity {
        access_key_id: authorization.access_key_id.to_owned(),
        user: key.user.to_owned(),
        principal_arn: key.principal_arn.to_owned(),
    })
}

fn check_scope(
    authorization: &Authorization<'_>,
    amz_date: &str,
    region: &str,
    service: &str,
) -> Result<(), AuthError> {
    if authorization.scope_terminator != "aws4_request" {
        return Err(AuthError::incomplete_signature(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'.",
            authorization.scope_terminator
        )));
    }
    // `amz_date` parsed as a date, so it is 16 ASCII characters.
    let http_date = amz_date.get(..8).unwrap_or_default();
    if authorization.scope_date != http_date {
        return Err(AuthError::invalid_signature(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from \
             HTTP: '{}' != '{http_date}', from '{amz_date}'.",
            authorization.scope_date
        )));
    }
    if authorization.scope_region != region {
        return Err(AuthError::invalid_signature(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            authorization.scope_region
        )));
    }
    if authorization.scope_service != service {
        return Err(AuthError::invalid_signature(format!(
            "Credential should be scoped to correct service: '{service}'."
        )));
    }
    Ok(())
}

/// `host` and `x-amz-date` must be signed, or a captured signature could be replayed against
/// another host or outside the skew window; a sent session token must be signed too.
fn check_signed_headers(
    request: &SignedRequest<'_>,
    signed_headers: &str,
) -> Result<(), AuthError> {
    let signed =
        |name: &str| signed_headers.split(';').any(|header| header.eq_ignore_ascii_case(name));
    if !signed("host") {
        return Err(AuthError::incomplete_signature(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    if !signed("x-amz-date") {
        return Err(AuthError::incomplete_signature(
            "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    if request.header("x-amz-security-token").is_some() && !signed("x-amz-security-token") {
        return Err(AuthError::incomplete_signature(
            "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    // The `x-amz-*` headers carry what the request asks for (`x-amz-target` names the
    // operation), so each one sent must be covered by the signature; otherwise a captured
    // request could be sent again as another operation. Clients sign them all: botocore leaves
    // out only `user-agent`, `expect` and `x-amzn-trace-id`, aws-sigv4 only `authorization`,
    // `user-agent`, `x-amzn-trace-id` and `transfer-encoding`. `content-type` need not be
    // signed: Berth reads every body as JSON whatever it says.
    for (name, _) in request.headers {
        let amz = name.get(..6).is_some_and(|prefix| prefix.eq_ignore_ascii_case("x-amz-"));
        if amz && !name.eq_ignore_ascii_case("x-amz-content-sha256") && !signed(name) {
            return Err(AuthError::incomplete_signature(format!(
                "'{}' must be a 'SignedHeader' in the AWS Authorization.",
                display_name(name)
            )));
        }
    }
    Ok(())
}

/// A header name as AWS prints it: `x-amz-target` → `X-Amz-Target`.
fn display_name(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => {
                    first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
                }
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn check_clock_skew(signed_at: i64, now: i64) -> Result<(), AuthError> {
    let earliest = now.saturating_sub(MAX_CLOCK_SKEW_SECONDS);
    let latest = now.saturating_add(MAX_CLOCK_SKEW_SECONDS);
    if signed_at < earliest {
        return Err(AuthError::invalid_signature(format!(
            "Signature expired: {} is now earlier than {} ({} - 15 min.)",
            date::format(signed_at),
            date::format(earliest),
            date::format(now)
        )));
    }
    if signed_at > latest {
        return Err(AuthError::invalid_signature(format!(
            "Signature not yet current: {} is still later than {} ({} + 15 min.)",
            date::format(signed_at),
            date::format(latest),
            date::format(now)
        )));
    }
    Ok(())
}

/// Equality whose time depends only on the lengths, for comparing session tokens.
fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}
