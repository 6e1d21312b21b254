//! Parsing the `Authorization` header:
//! `AWS4-HMAC-SHA256 Credential=AK/20261121/us-east-1/ecs/aws4_request, SignedHeaders=a;b, Signature=hex`.
//!
//! A header that cannot be read is an `IncompleteSignatureException` with the message AWS gives
//! for the same defect, so a client author sees the same hint as against AWS.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::AuthError;

/// The only signing algorithm accepted (SigV4a's `AWS4-ECDSA-P256-SHA256` is not).
pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The parts of a parsed `Authorization` header, borrowed from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Authorization<'a> {
    pub(crate) access_key_id: &'a str,
    /// The credential scope: `date/region/service/terminator`.
    pub(crate) scope: &'a str,
    pub(crate) scope_date: &'a str,
    pub(crate) scope_region: &'a str,
    pub(crate) scope_service: &'a str,
    pub(crate) scope_terminator: &'a str,
    /// `SignedHeaders` as written, which is also its line of the canonical request.
    pub(crate) signed_headers: &'a str,
    pub(crate) signature: &'a str,
}

impl<'a> Authorization<'a> {
    /// Parses `value`. `has_date` tells whether the request has an `X-Amz-Date` header: AWS
    /// reports its absence together with the header's missing parameters.
    pub(crate) fn parse(value: &'a str, has_date: bool) -> Result<Authorization<'a>, AuthError> {
        let trimmed = value.trim();
        let (algorithm, parameters) = match trimmed.split_once(|c: char| c.is_ascii_whitespace()) {
            Some((algorithm, parameters)) => (algorithm, parameters),
            None => (trimmed, ""),
        };

        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for pair in parameters.split(',').map(str::trim).filter(|pair| !pair.is_empty()) {
            let Some((key, parameter)) = pair.split_once('=') else {
                let digest = base64::engine::general_purpose::STANDARD
                    .encode(Sha256::digest(value.as_bytes()));
                return Err(AuthError::incomplete_signature(format!(
                    "Invalid key=value pair (missing equal-sign) in Authorization header \
                     (hashed with SHA-256 and encoded with Base64): '{digest}'."
                )));
            };
            // The first occurrence of a parameter wins; a repeated one cannot change what the
            // signature covers, because it is checked against the canonical request anyway.
            let slot = match key.trim() {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(parameter.trim()).filter(|parameter| !parameter.is_empty());
            }
        }

        if algorithm != ALGORITHM {
            return Err(AuthError::incomplete_signature(format!(
                "Unsupported AWS 'algorithm': '{algorithm}'."
            )));
        }

        let mut missing = Vec::new();
        if credential.is_none() {
            missing.push("Authorization header requires 'Credential' parameter.");
        }
        if signature.is_none() {
            missing.push("Authorization header requires 'Signature' parameter.");
        }
        if signed_headers.is_none() {
            missing.push("Authorization header requires 'SignedHeaders' parameter.");
        }
        if !has_date {
            missing.push(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
            );
        }
        let (Some(credential), Some(signed_headers), Some(signature), true) =
            (credential, signed_headers, signature, missing.is_empty())
        else {
            return Err(AuthError::incomplete_signature(format!(
                "{} Authorization={value}",
                missing.join(" ")
            )));
        };

        let parts: Vec<&str> = credential.split('/').collect();
        let &[access_key_id, scope_date, scope_region, scope_service, scope_terminator] =
            parts.as_slice()
        else {
            return Err(AuthError::incomplete_signature(format!(
                "Credential must have exactly 5 slash-delimited elements, \
                 e.g. keyid/date/region/service/term, got '{credential}'"
            )));
        };
        let scope = credential.split_once('/').map_or("", |(_, scope)| scope);
        Ok(Authorization {
            access_key_id,
            scope,
            scope_date,
            scope_region,
            scope_service,
            scope_terminator,
            signed_headers,
            signature,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLI: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/ecs/aws4_request, \
        SignedHeaders=content-type;host;x-amz-date;x-amz-target, \
        Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn parses_the_cli_header() {
        let parsed = Authorization::parse(CLI, true).unwrap();
        assert_eq!(
            parsed,
            Authorization {
                access_key_id: "AKIDEXAMPLE",
                scope: "20261121/us-east-1/ecs/aws4_request",
                scope_date: "20261121",
                scope_region: "us-east-1",
                scope_service: "ecs",
                scope_terminator: "aws4_request",
                signed_headers: "content-type;host;x-amz-date;x-amz-target",
                signature: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            }
        );
    }

    #[test]
    fn tolerates_missing_spaces_and_any_order() {
        let header = "AWS4-HMAC-SHA256 Signature=ab,SignedHeaders=host;x-amz-date,Credential=A/1/r/ecs/aws4_request";
        let parsed = Authorization::parse(header, true).unwrap();
        assert_eq!(parsed.access_key_id, "A");
        assert_eq!(parsed.signature, "ab");
        assert_eq!(parsed.signed_headers, "host;x-amz-date");
    }

    fn message(header: &str, has_date: bool) -> String {
        let error = Authorization::parse(header, has_date).unwrap_err();
        assert_eq!(error.code, "IncompleteSignatureException");
        assert_eq!(error.status, 400);
        error.message
    }

    #[test]
    fn each_missing_part_is_named() {
        let header = "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=ab";
        assert_eq!(
            message(header, true),
            format!("Authorization header requires 'Credential' parameter. Authorization={header}")
        );
        let header = "AWS4-HMAC-SHA256 Credential=A/1/r/ecs/aws4_request, Signature=ab";
        assert_eq!(
            message(header, true),
            format!(
                "Authorization header requires 'SignedHeaders' parameter. Authorization={header}"
            )
        );
        let header = "AWS4-HMAC-SHA256 Credential=A/1/r/ecs/aws4_request, SignedHeaders=host";
        assert_eq!(
            message(header, true),
            format!("Authorization header requires 'Signature' parameter. Authorization={header}")
        );
        let header =
            "AWS4-HMAC-SHA256 Credential=A/1/r/ecs/aws4_request, SignedHeaders=host, Signature=";
        assert_eq!(
            message(header, true),
            format!("Authorization header requires 'Signature' parameter. Authorization={header}")
        );
        assert_eq!(
            message(CLI, false),
            format!(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. \
                 Authorization={CLI}"
            )
        );
        assert_eq!(
            message("AWS4-HMAC-SHA256", false),
            "Authorization header requires 'Credential' parameter. \
             Authorization header requires 'Signature' parameter. \
             Authorization header requires 'SignedHeaders' parameter. \
             Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. \
             Authorization=AWS4-HMAC-SHA256"
        );
    }

    #[test]
    fn malformed_headers() {
        assert_eq!(
            message("Bearer abc", true),
            format!(
                "Invalid key=value pair (missing equal-sign) in Authorization header \
                 (hashed with SHA-256 and encoded with Base64): '{}'.",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"Bearer abc"))
            )
        );
        assert_eq!(message("Basic a=b", true), "Unsupported AWS 'algorithm': 'Basic'.");
        assert_eq!(
            message(&CLI.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"), true),
            "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'."
        );
        assert_eq!(
            message(&CLI.replace("/ecs/aws4_request", "/ecs"), true),
            "Credential must have exactly 5 slash-delimited elements, \
             e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20261121/us-east-1/ecs'"
        );
        assert_eq!(
            message(&CLI.replace("/ecs/", "/ecs/x/"), true),
            "Credential must have exactly 5 slash-delimited elements, \
             e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20261121/us-east-1/ecs/x/aws4_request'"
        );
    }
}
