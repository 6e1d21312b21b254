//! The SigV4 canonical request, string to sign and signing key, computed from the request as
//! received. The server recomputes what the client signed and compares; nothing here knows
//! which headers a particular client chose to sign.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::authorization::ALGORITHM;

type HmacSha256 = Hmac<Sha256>;

/// The canonical request over exactly the headers named in `signed_headers`, or `None` if one of
/// them is absent from `headers` (the client cannot have signed it as sent).
pub(crate) fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    signed_headers: &str,
    payload_hash: &str,
) -> Option<String> {
    let mut out = String::with_capacity(256 + signed_headers.len() * 16);
    out.push_str(method);
    out.push('\n');
    out.push_str(&canonical_uri(path));
    out.push('\n');
    out.push_str(&canonical_query(query));
    out.push('\n');
    for name in signed_headers.split(';') {
        out.push_str(name);
        out.push(':');
        let mut found = false;
        for (header, value) in headers {
            if header.eq_ignore_ascii_case(name) {
                if found {
                    out.push(',');
                }
                push_trimmed(&mut out, value);
                found = true;
            }
        }
        if !found {
            return None;
        }
        out.push('\n');
    }
    out.push('\n');
    out.push_str(signed_headers);
    out.push('\n');
    out.push_str(payload_hash);
    Some(out)
}

/// Appends a header value with leading and trailing spaces removed and each run of inner spaces
/// collapsed to one, as the SigV4 rules (and aws-sigv4) do. Tabs are left alone: HTTP servers
/// already strip them at the ends, and no AWS client puts them inside a signed value.
fn push_trimmed(out: &mut String, value: &str) {
    let mut previous_space = false;
    for c in value.trim_matches(' ').chars() {
        if c == ' ' && previous_space {
            continue;
        }
        previous_space = c == ' ';
        out.push(c);
    }
}

/// The string to sign: algorithm, timestamp, credential scope and the canonical request's hash.
pub(crate) fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{amz_date}\n{scope}\n{}", hex::encode(Sha256::digest(canonical_request)))
}

fn hmac(key: &[u8], data: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac
}

/// The signing key: `AWS4<secret>` chained through the scope's date, region, service and
/// terminator.
pub(crate) fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes()).finalize().into_bytes();
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part.as_bytes()).finalize().into_bytes();
    }
    key.into()
}

/// Whether `signature` (64 lowercase hex digits, as every signer writes it) is the HMAC of
/// `string_to_sign` under `key`, compared in constant time.
pub(crate) fn signature_matches(key: &[u8; 32], string_to_sign: &str, signature: &str) -> bool {
    let lowercase_hex = signature.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if signature.len() != 64 || !lowercase_hex {
        return false;
    }
    let Ok(provided) = hex::decode(signature) else {
        return false;
    };
    hmac(key, string_to_sign.as_bytes()).verify_slice(&provided).is_ok()
}

/// The signature of `string_to_sign` under `key`, as lowercase hex.
pub(crate) fn signature_hex(key: &[u8; 32], string_to_sign: &str) -> String {
    signature(key, string_to_sign)
}

/// The signature of `string_to_sign` under `key`, as lowercase hex.
fn signature(key: &[u8; 32], string_to_sign: &str) -> String {
    hex::encode(hmac(key, string_to_sign.as_bytes()).finalize().into_bytes())
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

fn percent_encode(bytes: &[u8], keep_slash: bool, out: &mut String) {
    for &byte in bytes {
        if is_unreserved(byte) || (keep_slash && byte == b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

/// The canonical URI: the path with `.`, `..` and empty segments resolved, then percent-encoded
/// once more, since every AWS service except S3 double-encodes (the path as received is already
/// encoded once).
pub(crate) fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    let trailing_slash = segments.last().is_some()
        && (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/.."));
    let mut normalized = String::with_capacity(path.len() + 1);
    for segment in &segments {
        normalized.push('/');
        normalized.push_str(segment);
    }
    if trailing_slash || segments.is_empty() {
        normalized.push('/');
    }
    let mut out = String::with_capacity(normalized.len());
    percent_encode(normalized.as_bytes(), true, &mut out);
    out
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let hex_pair = bytes.get(i + 1..i + 3).and_then(|pair| {
            let pair = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(pair, 16)
                .ok()
                .filter(|_| pair.bytes().all(|b| b.is_ascii_hexdigit()))
        });
        match (byte, hex_pair) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// The canonical query string: each name and value decoded (form encoding, as aws-sigv4 reads
/// it), re-encoded strictly, and the pairs sorted. ECS requests have no query; this exists so that
/// a request with one is judged correctly rather than rejected.
pub(crate) fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let mut encoded_name = String::new();
            let mut encoded_value = String::new();
            percent_encode(&percent_decode(name), false, &mut encoded_name);
            percent_encode(&percent_decode(value), false, &mut encoded_value);
            (encoded_name, encoded_value)
        })
        .collect();
    pairs.sort();
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `get-vanilla` case of AWS's published SigV4 test suite.
    #[test]
    fn aws_test_suite_get_vanilla() {
        let headers = [
            ("host".to_owned(), "example.amazonaws.com".to_owned()),
            ("x-amz-date".to_owned(), "20150830T123600Z".to_owned()),
        ];
        let empty_hash = hex::encode(Sha256::digest(b""));
        let canonical =
            canonical_request("GET", "/", "", &headers, "host;x-amz-date", &empty_hash).unwrap();
        assert_eq!(
            canonical,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n\
             host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let to_sign = string_to_sign(
            "20150830T123600Z",
            "20150830/us-east-1/service/aws4_request",
            &canonical,
        );
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "service",
        );
        let expected = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
        assert_eq!(signature(&key, &to_sign), expected);
        assert!(signature_matches(&key, &to_sign, expected));
        assert!(!signature_matches(&key, &to_sign, &expected.replace('5', "6")));
        assert!(!signature_matches(&key, &to_sign, "not hex"));
        assert!(!signature_matches(&key, &to_sign, &expected[..62]));
        assert!(!signature_matches(&key, &to_sign, &expected.to_uppercase()));
    }

    #[test]
    fn header_values_are_trimmed_and_joined() {
        let headers = [
            ("x-a".to_owned(), "  one   two  ".to_owned()),
            ("X-A".to_owned(), "three".to_owned()),
        ];
        let canonical = canonical_request("POST", "/", "", &headers, "x-a", "h").unwrap();
        assert_eq!(canonical, "POST\n/\n\nx-a:one two,three\n\nx-a\nh");
        assert_eq!(canonical_request("POST", "/", "", &headers, "x-a;x-b", "h"), None);
    }

    #[test]
    fn uris_are_normalized_and_double_encoded() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("//a//b/"), "/a/b/");
        assert_eq!(canonical_uri("/a/./b/../c"), "/a/c");
        assert_eq!(canonical_uri("/a/.."), "/");
        assert_eq!(canonical_uri("/../.."), "/");
        assert_eq!(canonical_uri("/a b/%2F"), "/a%20b/%252F");
    }

    #[test]
    fn queries_are_sorted_and_strictly_encoded() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(canonical_query("x&y=a+b%2f%zz"), "x=&y=a%20b%2F%25zz");
    }
}
